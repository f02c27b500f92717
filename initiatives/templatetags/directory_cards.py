"""`{% directory_cards page %}`: the directory's cards, written in Python rather than by the loop.

A page's 24 cards were most of a signed-in directory's render (never cached): about 80 template
nodes a card, a URL reversed and the stage's choices hashed again for each (`get_FOO_display`).
The markup is the loop's it replaces: `truncatewords` is `Truncator.words(…, truncate=" …")`,
`date:"Y"` the year on four digits, `term` each theme's name in the reader's language.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from observatoire.vocabulary import term

from ..models import Stage

register = template.Library()

SLUG = "--slug--"  # stands for each card's slug in the profile's URL, reversed once a page


@register.simple_tag
def directory_cards(initiatives):
    url = reverse("initiatives:detail", kwargs={"slug": SLUG})
    stages = {value: str(label) for value, label in Stage.choices}
    since = gettext("since %(year)s")
    themes_label = escape(gettext("Themes"))
    cards = []
    for initiative in initiatives:
        stage = stages.get(initiative.stage, initiative.stage)
        meta = f"{escape(initiative.territory.name)} · {escape(stage)}"
        if initiative.start_date:
            meta += " · " + escape(since % {"year": f"{initiative.start_date.year:04d}"})
        card = [
            '  <li class="card">\n',
            f'    <h3><a href="{escape(url.replace(SLUG, initiative.slug))}">'
            f"{escape(initiative.name)}</a></h3>\n",
            f'    <p class="meta">{meta}</p>\n',
        ]
        if initiative.summary:
            summary = Truncator(initiative.summary).words(30, truncate=" …")
            card.append(f"    <p>{escape(summary)}</p>\n")
        themes = initiative.listed_themes
        if themes:
            items = "".join(f"<li>{escape(term(name))}</li>" for name in themes)
            card.append(f'    <ul class="tags" aria-label="{themes_label}">{items}</ul>\n')
        card.append("  </li>\n")
        cards.append("".join(card))
    return mark_safe("".join(cards))  # noqa: S308 - every value above is escaped


def _words(text: str, count: int = 30) -> str:
    """`Truncator(text).words(count, truncate=" …")` for plain text, without its lazy object."""
    words = text.split()
    if len(words) <= count:
        return " ".join(words)
    shortened = " ".join(words[:count])
    return shortened if shortened.endswith(" …") else f"{shortened} …"


@register.simple_tag
def territory_cards(initiatives):
    """A territory page's cards (their `url` set by the panel): the loop they replace took a
    third of the page's render, `truncatewords` most of it."""
    cards = []
    for initiative in initiatives:
        card = [
            f'    <li class="card"><h3><a href="{escape(initiative.url)}">'
            f"{escape(initiative.name)}</a></h3>\n",
            f'      <p class="meta">{escape(initiative.territory.name)}</p>\n',
        ]
        if initiative.summary:
            card.append(f"      <p>{escape(_words(initiative.summary))}</p>")
        card.append("</li>\n")
        cards.append("".join(card))
    return mark_safe("".join(cards))  # noqa: S308 - every value above is escaped


@register.simple_tag
def counted_places(rows):
    """A territory page's children with their counts: one reverse() for all of them."""
    urls = {}
    items = []
    for child, count in rows:
        if child.level not in urls:
            urls[child.level] = reverse(
                "territoires:detail", kwargs={"level": child.level, "code": SLUG}
            )
        url = urls[child.level].replace(SLUG, child.code)
        label = ngettext("%(counter)s initiative", "%(counter)s initiatives", count) % {
            "counter": count
        }
        items.append(
            f'    <li><a href="{escape(url)}">{escape(child.name)}</a> '
            f'<span class="meta">{escape(label)}</span></li>\n'
        )
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped
