"""A mission's report draft, built from its workshops: PDF to read, ODT or DOCX to co-write."""

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


def outline(mission: SupportMission) -> list[tuple]:
    """The editable report as blocks: ("h", level, text), ("p", text), ("ul", [items])."""
    blocks = [("h", 1, _("Report draft: %(title)s") % {"title": mission.title})]
    blocks.append(("p", _("Client: %(client)s") % {"client": mission.client}))
    if mission.objectives:
        blocks += [("h", 2, _("Objectives")), ("p", mission.objectives)]
    for section in context(mission)["sections"]:
        workshop = section.workshop
        title = f"{workshop.title} ({workshop.get_method_display()}, {workshop.date:%d/%m/%Y})"
        blocks.append(("h", 2, title))
        if workshop.summary:
            blocks.append(("p", workshop.summary))
        for cluster, cards in section.clusters:
            blocks += [("h", 3, cluster.title), ("ul", [card.text for card in cards])]
        if section.loose:
            blocks.append(("h", 3, _("Cards not yet grouped")))
            blocks.append(("ul", [card.text for card in section.loose]))
        if section.roadmap:
            blocks.append(("h", 3, _("Roadmap")))
            for year, steps in section.roadmap:
                blocks += [("p", str(year)), ("ul", [step.text for step in steps])]
    return blocks


def render_odt(mission: SupportMission) -> bytes:
    """The outline as an OpenDocument text, with real headings, for co-writing."""
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
    for kind, *rest in outline(mission):
        if kind == "h":
            level, text = rest
            doc.text.addElement(H(outlinelevel=level, stylename=f"Heading_20_{level}", text=text))
        elif kind == "p":
            for line in str(rest[0]).splitlines() or [""]:
                doc.text.addElement(P(text=line))
        else:
            lst = List()
            for item in rest[0]:
                entry = ListItem()
                entry.addElement(P(text=str(item)))
                lst.addElement(entry)
            doc.text.addElement(lst)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def render_docx(mission: SupportMission) -> bytes:
    """The same outline as a Word document, for clients who co-write in Word."""
    from docx import Document

    doc = Document()
    for kind, *rest in outline(mission):
        if kind == "h":
            doc.add_heading(rest[1], level=rest[0])
        elif kind == "p":
            for line in str(rest[0]).splitlines() or [""]:
                doc.add_paragraph(line)
        else:
            for item in rest[0]:
                doc.add_paragraph(str(item), style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
