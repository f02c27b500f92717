"""A mission's report draft: its story and its workshops' outputs; PDF to read, ODT or DOCX to
co-write with the client.

One outline (`outline`) feeds the three formats: a cover, the objectives and the people, the
funding, then each workshop with its participants, backcasting target and scenario, métaplan
cards, roadmap and photos (the processed photos of the workshop, as PNG for the editors).
"""

import base64
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from medias.selectors import renditions_of

from . import selectors
from .models import Method, SupportMission

PHOTO = "thumb-medium"  # 960 px: sharp on a printed page, light in a document


@dataclass
class WorkshopSection:
    workshop: object
    clusters: list = field(default_factory=list)  # [(cluster, [cards])]
    loose: list = field(default_factory=list)
    roadmap: list = field(default_factory=list)  # [(year, [steps])], years with steps only
    photos: list = field(default_factory=list)  # PNG bytes, oldest first


def _png(derived) -> bytes | None:
    """A rendition as PNG (WebP is not understood by Word); None when it cannot be read."""
    from PIL import Image

    try:
        with derived.file.open("rb") as stored, Image.open(stored) as image:
            out = io.BytesIO()
            image.convert("RGB").save(out, "PNG")
            return out.getvalue()
    except (OSError, ValueError):
        return None


def sections(mission: SupportMission) -> list[WorkshopSection]:
    result = []
    workshops = mission.workshops.prefetch_related(
        "milestones", "steps", "participants", "facilitators"
    ).order_by("date")
    for workshop in workshops:
        section = WorkshopSection(workshop)
        if workshop.method == Method.METAPLAN or workshop.cards.exists():
            section.loose, section.clusters = selectors.metaplan_board(workshop)
        section.roadmap = [(year, steps) for year, steps in selectors.timeline(workshop) if steps]
        section.photos = [png for d in renditions_of(workshop, PHOTO) if (png := _png(d))]
        result.append(section)
    return result


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _period(start, end) -> str:
    if start and end:
        return _("from %(start)s to %(end)s") % {"start": _date(start), "end": _date(end)}
    if start:
        return _("since %(start)s") % {"start": _date(start)}
    return ""


def _money(amount) -> str:
    return formats.number_format(amount, 2, use_l10n=True, force_grouping=True) + "\u00a0€"


def funding_lines(mission: SupportMission) -> list[str]:
    lines = []
    for line in mission.funding_lines.select_related("funder").order_by("start_date", "pk"):
        funder = f"{line.funder} ({line.programme})" if line.programme else str(line.funder)
        text = _("%(funder)s: %(amount)s, %(status)s") % {
            "funder": funder,
            "amount": _money(line.amount),
            "status": line.get_status_display(),
        }
        if period := _period(line.start_date, line.end_date):
            text += f", {period}"
        lines.append(text)
    return lines


def context(mission: SupportMission) -> dict:
    return {
        "mission": mission,
        "consultants": list(mission.consultants.all()),
        "period": _period(mission.start_date, mission.end_date),
        "funding": funding_lines(mission),
        "sections": sections(mission),
        "generated_on": timezone.localdate(),
    }


def render_pdf(mission: SupportMission) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    data = context(mission)
    for section in data["sections"]:
        section.photos = [base64.b64encode(png).decode() for png in section.photos]
    html = render_to_string("accompagnements/report.html", data)
    return HTML(string=html).write_pdf()


def outline(mission: SupportMission) -> list[tuple]:
    """The editable report as blocks: ("h", level, text), ("p", text), ("ul", [items]),
    ("img", png bytes), ("break",)."""
    data = context(mission)
    title = _("Report draft: %(title)s") % {"title": mission.title}
    blocks = [("h", 1, title), ("p", _("Client: %(client)s") % {"client": mission.client})]
    if data["period"]:
        blocks.append(("p", _("Mission %(period)s") % {"period": data["period"]}))
    if data["consultants"]:
        names = ", ".join(str(person) for person in data["consultants"])
        blocks.append(("p", _("Consultants: %(names)s") % {"names": names}))
    blocks.append(("p", _("Draft generated on %(date)s.") % {"date": _date(data["generated_on"])}))
    blocks.append(("break",))
    if mission.objectives:
        blocks += [("h", 2, _("Objectives")), ("p", mission.objectives)]
    if data["funding"]:
        blocks += [("h", 2, _("Funding")), ("ul", data["funding"])]
    for section in data["sections"]:
        blocks += _workshop_blocks(section)
    return blocks


def _workshop_blocks(section: WorkshopSection) -> list[tuple]:
    workshop = section.workshop
    blocks = [
        ("h", 2, f"{workshop.title} ({workshop.get_method_display()}, {_date(workshop.date)})")
    ]
    if workshop.summary:
        blocks.append(("p", workshop.summary))
    people = [str(p) for p in workshop.participants.all()]
    if people:
        blocks += [("h", 3, _("Participants")), ("ul", people)]
    facilitators = ", ".join(str(p) for p in workshop.facilitators.all())
    if facilitators:
        blocks.append(("p", _("Facilitators: %(names)s") % {"names": facilitators}))
    if workshop.target_year or workshop.scenario:
        blocks.append(("h", 3, _("Backcasting: %(year)s") % {"year": workshop.target_year or ""}))
        if workshop.scenario:
            blocks.append(("p", workshop.scenario))
        milestones = [
            _("%(year)s: %(text)s") % {"year": m.year, "text": m.text}
            for m in workshop.milestones.all()
        ]
        if milestones:
            blocks.append(("ul", milestones))
    for cluster, cards in section.clusters:
        blocks += [("h", 3, cluster.title), ("ul", [card.text for card in cards])]
    if section.loose:
        blocks.append(("h", 3, _("Cards not yet grouped")))
        blocks.append(("ul", [card.text for card in section.loose]))
    if section.roadmap:
        blocks.append(("h", 3, _("Roadmap")))
        for year, steps in section.roadmap:
            blocks += [("p", str(year)), ("ul", [step.text for step in steps])]
    if section.photos:
        blocks.append(("h", 3, _("Photos")))
        blocks += [("img", png) for png in section.photos]
    return blocks


def render_odt(mission: SupportMission) -> bytes:
    """The outline as an OpenDocument text: real headings, bulleted lists, photos, a cover."""
    from .report_odt import write_odt

    return write_odt(outline(mission))


def render_docx(mission: SupportMission) -> bytes:
    """The same outline as a Word document, for clients who co-write in Word."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm

    doc = Document()
    for kind, *rest in outline(mission):
        if kind == "h":
            doc.add_heading(rest[1], level=rest[0])
        elif kind == "p":
            for line in str(rest[0]).splitlines() or [""]:
                doc.add_paragraph(line)
        elif kind == "img":
            doc.add_picture(io.BytesIO(rest[0]), width=Cm(14))
        elif kind == "break":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            for item in rest[0]:
                doc.add_paragraph(str(item), style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
