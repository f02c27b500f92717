"""The report draft of a mission, built from its workshops: a PDF to read, an ODT to co-write."""

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .models import Method, SupportMission


@dataclass
class WorkshopSection:
    workshop: object
    clusters: list = field(default_factory=list)  # [(cluster, [cards])]
    loose: list = field(default_factory=list)
    roadmap: list = field(default_factory=list)  # [(year, [steps])], years with steps only


def sections(mission: SupportMission) -> list[WorkshopSection]:
    result = []
    for workshop in mission.workshops.prefetch_related("milestones", "steps").order_by("date"):
        section = WorkshopSection(workshop)
        if workshop.method == Method.METAPLAN or workshop.cards.exists():
            section.loose, section.clusters = selectors.metaplan_board(workshop)
        section.roadmap = [(year, steps) for year, steps in selectors.timeline(workshop) if steps]
        result.append(section)
    return result


def context(mission: SupportMission) -> dict:
    return {
        "mission": mission,
        "sections": sections(mission),
        "generated_on": timezone.localdate(),
    }


def render_pdf(mission: SupportMission) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    html = render_to_string("accompagnements/report.html", context(mission))
    return HTML(string=html).write_pdf()


def render_odt(mission: SupportMission) -> bytes:
    """The same content as an OpenDocument text, with real headings, for co-writing."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, List, ListItem, P

    doc = OpenDocumentText()
    for level, size in [(1, "20pt"), (2, "16pt"), (3, "13pt")]:
        style = Style(
            name=f"Heading_20_{level}", family="paragraph", displayname=f"Heading {level}"
        )
        style.addElement(TextProperties(fontsize=size, fontweight="bold"))
        doc.styles.addElement(style)

    def heading(level, text):
        doc.text.addElement(H(outlinelevel=level, stylename=f"Heading_20_{level}", text=text))

    def para(text):
        for line in str(text).splitlines() or [""]:
            doc.text.addElement(P(text=line))

    def bullets(items):
        lst = List()
        for item in items:
            entry = ListItem()
            entry.addElement(P(text=str(item)))
            lst.addElement(entry)
        doc.text.addElement(lst)

    data = context(mission)
    heading(1, _("Report draft: %(title)s") % {"title": mission.title})
    para(_("Client: %(client)s") % {"client": mission.client})
    if mission.objectives:
        heading(2, _("Objectives"))
        para(mission.objectives)
    for section in data["sections"]:
        workshop = section.workshop
        heading(2, f"{workshop.title} ({workshop.get_method_display()}, {workshop.date:%d/%m/%Y})")
        if workshop.summary:
            para(workshop.summary)
        for cluster, cards in section.clusters:
            heading(3, cluster.title)
            bullets(card.text for card in cards)
        if section.loose:
            heading(3, _("Cards not yet grouped"))
            bullets(card.text for card in section.loose)
        if section.roadmap:
            heading(3, _("Roadmap"))
            for year, steps in section.roadmap:
                para(str(year))
                bullets(step.text for step in steps)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()
