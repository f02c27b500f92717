"""What support missions erase for a person (a GDPR request): the shredder this app registers.

A person named as a workshop participant is removed from the named participants (the workshop
still counts them). A consultant of a mission or a facilitator of a workshop stays attached to
it as the erased placeholder the directory leaves of them: the mission keeps its shape, and
nothing in the link names them.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from observatoire.shredders import BaseShredder

from .models import SupportMission, Workshop, WorkshopParticipant


def _participants(subject):
    candidates = WorkshopParticipant.objects.filter(subject.mentions("name"))
    return [p for p in candidates if subject.names(p.name)]


class MissionShredder(BaseShredder):
    identifier = "accompagnements"
    order = 30
    verbose_name = _("Support missions")
    description = _(
        "Named workshop participants who are them are removed (the workshop still counts "
        "them); as a consultant or facilitator they stay attached as the erased placeholder."
    )
    handles = ("accompagnements.workshopparticipant",)

    def _links(self, subject):
        person = subject.person
        missions = SupportMission.objects.filter(consultants=person).count()
        workshops = Workshop.objects.filter(facilitators=person).count()
        return [
            ngettext(
                "Consultant of %(count)d mission", "Consultant of %(count)d missions", missions
            )
            % {"count": missions},
            ngettext(
                "Facilitator of %(count)d workshop",
                "Facilitator of %(count)d workshops",
                workshops,
            )
            % {"count": workshops},
        ]

    def preview(self, subject):
        count = len(_participants(subject))
        return [
            *self._links(subject),
            ngettext(
                "Named as a participant of %(count)d workshop",
                "Named as a participant of %(count)d workshops",
                count,
            )
            % {"count": count},
        ]

    def shred(self, subject):
        participants = _participants(subject)
        WorkshopParticipant.objects.filter(pk__in=[p.pk for p in participants]).delete()
        return [
            *self._links(subject),
            ngettext(
                "%(count)d named participant removed",
                "%(count)d named participants removed",
                len(participants),
            )
            % {"count": len(participants)},
        ]
