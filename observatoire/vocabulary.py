"""Words the observatory keeps in French in its data, said in the reader's language on the pages.

Themes are free tags and assessment grids are rows that staff write, in French. Those that belong to
the observatory's shared vocabulary (the themes of its initiatives, the social-innovation grid) are
listed here as English msgids whose French translation, in the catalogue, is the stored word: a
stored word is found by its French translation and shown as the msgid's translation in the active
language. A word that is not listed (a new tag, another grid) is shown as it was typed.
"""

import unicodedata
from functools import cache

from django.utils.text import capfirst
from django.utils.translation import get_language, override, pgettext_lazy

THEMES = [
    pgettext_lazy("theme", "support"),
    pgettext_lazy("theme", "pooled purchasing"),
    pgettext_lazy("theme", "shared agenda"),
    pgettext_lazy("theme", "food"),
    pgettext_lazy("theme", "short supply chains"),
    pgettext_lazy("theme", "territorial co-construction"),
    pgettext_lazy("theme", "trust"),
    pgettext_lazy("theme", "cooperation"),
    pgettext_lazy("theme", "shared diagnosis"),
    pgettext_lazy("theme", "employment"),
    pgettext_lazy("theme", "spreading"),
    pgettext_lazy("theme", "graphic facilitation"),
    pgettext_lazy("theme", "governance"),
    pgettext_lazy("theme", "housing"),
    pgettext_lazy("theme", "social innovation"),
    pgettext_lazy("theme", "work integration"),
    pgettext_lazy("theme", "collective intelligence"),
    pgettext_lazy("theme", "social ties"),
    pgettext_lazy("theme", "mobility"),
    pgettext_lazy("theme", "mediation"),
    pgettext_lazy("theme", "health and social care"),
    pgettext_lazy("theme", "digital"),
    pgettext_lazy("theme", "early childhood"),
    pgettext_lazy("theme", "public policy"),
    pgettext_lazy("theme", "foresight"),
    pgettext_lazy("theme", "action research"),
    pgettext_lazy("theme", "rural life"),
    pgettext_lazy("theme", "reuse"),
    pgettext_lazy("theme", "local services"),
    pgettext_lazy("theme", "solidarity"),
    pgettext_lazy("theme", "third place"),
    pgettext_lazy("theme", "ecological transition"),
    pgettext_lazy("theme", "circular economy"),
    pgettext_lazy("theme", "local economy"),
    pgettext_lazy("theme", "popular education"),
    pgettext_lazy("theme", "energy"),
    pgettext_lazy("theme", "evaluation"),
]

# The social-innovation grid of evaluations/demo.py: its name, dimensions, criteria and levels.
GRID = [
    pgettext_lazy("assessment grid", "Social innovation sensors"),
    pgettext_lazy("assessment grid", "Response to a social need"),
    pgettext_lazy("assessment grid", "Need identified"),
    pgettext_lazy("assessment grid", "Is the need named and shared with the people concerned?"),
    pgettext_lazy("assessment grid", "People concerned take part"),
    pgettext_lazy("assessment grid", "Do the beneficiaries take part in the response?"),
    pgettext_lazy("assessment grid", "New response"),
    pgettext_lazy("assessment grid", "Does the response differ from what existed in the area?"),
    pgettext_lazy("assessment grid", "Governance and participation"),
    pgettext_lazy("assessment grid", "Shared decision-making"),
    pgettext_lazy("assessment grid", "Do users, employees and volunteers decide together?"),
    pgettext_lazy("assessment grid", "Transparency"),
    pgettext_lazy("assessment grid", "Are information and accounts open to all?"),
    pgettext_lazy("assessment grid", "Limited profit-making"),
    pgettext_lazy("assessment grid", "Are surpluses reinvested in the project?"),
    pgettext_lazy("assessment grid", "Territorial roots"),
    pgettext_lazy("assessment grid", "Local resources"),
    pgettext_lazy("assessment grid", "Does the project draw on the area’s resources?"),
    pgettext_lazy("assessment grid", "Does the project rest on a diagnosis of the area?"),
    pgettext_lazy("assessment grid", "Local benefits"),
    pgettext_lazy("assessment grid", "Does it create activity or ties locally?"),
    pgettext_lazy("assessment grid", "Cooperation and alliances"),
    pgettext_lazy("assessment grid", "Partners from different worlds"),
    pgettext_lazy("assessment grid", "Associations, businesses and local authorities?"),
    pgettext_lazy("assessment grid", "Pooling"),
    pgettext_lazy("assessment grid", "Are resources pooled with others?"),
    pgettext_lazy("assessment grid", "Co-construction with public authorities"),
    pgettext_lazy("assessment grid", "Beyond funding alone?"),
    pgettext_lazy("assessment grid", "Scaling up"),
    pgettext_lazy("assessment grid", "Is the project reproduced elsewhere, or about to be?"),
    pgettext_lazy("assessment grid", "Business model"),
    pgettext_lazy("assessment grid", "Is financial balance reached or in sight?"),
    pgettext_lazy("assessment grid", "Passing on"),
    pgettext_lazy("assessment grid", "Is know-how documented and shared?"),
    pgettext_lazy("assessment grid", "Nothing points to it so far."),
    pgettext_lazy("assessment grid", "Emerging"),
    pgettext_lazy("assessment grid", "Intentions or first attempts, still fragile."),
    pgettext_lazy("assessment grid", "Established"),
    pgettext_lazy("assessment grid", "A regular practice, recognised by the stakeholders."),
    pgettext_lazy("assessment grid", "Exemplary"),
    pgettext_lazy("assessment grid", "A structuring practice, documented and passed on to others."),
]

STORED_LANGUAGE = "fr"


def _key(text: str) -> str:
    """The catalogue writes ’ and non-breaking spaces where a person typed ' and spaces."""
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'")
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split()).casefold()


@cache
def _terms() -> dict:
    """{stored French word: its lazy translation}, read from the catalogue once per process."""
    with override(STORED_LANGUAGE):
        return {_key(str(term)): term for term in THEMES + GRID}


def term(stored: str) -> str:
    """The stored word in the active language, when the vocabulary knows it; else as stored."""
    if not stored or (get_language() or STORED_LANGUAGE).startswith(STORED_LANGUAGE):
        return stored
    found = _terms().get(_key(stored))
    if found is None:
        return stored
    said = str(found)
    return capfirst(said) if stored[:1].isupper() else said
