"""The agreement between an interview's coders, stated in the QDPX as a Note on its source."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..models import DoubleCoding
from ..services import agreement
from .common import derived_guid


@dataclass
class AgreementNote:
    """Written by export.py as it writes memos: the same attributes, no author."""

    pk: str
    guid: str
    text: str
    created_at: datetime
    author: None = None
    author_name: str = ""


def _figure(value, digits) -> str:
    return "—" if value is None else number_format(round(value, digits), digits)


def agreement_notes(season) -> dict[int, AgreementNote]:
    """{interview pk: the figures of its revealed double coding, as a plain-text note}."""
    doubles = DoubleCoding.objects.filter(
        interview__visit__season=season, revealed_at__isnull=False
    ).prefetch_related("turns__coder")
    return {double.interview_id: _note(double) for double in doubles}


def _note(double) -> AgreementNote:
    coders = ", ".join(
        turn.coder.get_full_name() or turn.coder.get_username() for turn in double.turns.all()
    )
    lines = [
        _("Agreement between coders (blind double coding): %(coders)s") % {"coders": coders},
        _("Counted on the characters of the transcript, code by code."),
        _("Code; agreement (%); Cohen’s kappa; Krippendorff’s alpha"),
    ]
    for row in agreement.figures(double):
        name = row.code.name if row.code else _("Overall")
        lines.append(
            _("%(code)s; %(percentage)s; %(kappa)s; %(alpha)s")
            % {
                "code": name,
                "percentage": _figure(row.percentage, 1),
                "kappa": _figure(row.kappa, 3),
                "alpha": _figure(row.alpha, 3),
            }
        )
    return AgreementNote(
        pk=f"agreement-{double.pk}",
        guid=derived_guid("double-coding", double.pk, "agreement"),
        text="\n".join(lines) + "\n",
        created_at=double.revealed_at,
    )
