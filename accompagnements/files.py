"""A mission's files, registered with `medias.owners` in apps.py: staff-only, upload and reading.

Photos of the boards and recordings of a workshop; the versions of a deliverable's report.
"""

from django.utils.translation import gettext_lazy as _

from medias.models import Kind

from .models import Deliverable, Workshop


def _staff_only(model):
    def may_upload(user):
        staff = user.is_authenticated and (user.is_staff or user.is_superuser)
        return model.objects.all() if staff else model.objects.none()

    return may_upload


def register() -> None:
    from medias import owners

    # No `can_read`: staff read every file (medias.access), and nobody else reads these.
    owners.register(
        Workshop,
        name="workshop",
        kinds=[Kind.IMAGE, Kind.AUDIO, Kind.VIDEO, Kind.DOCUMENT],
        label=_("workshop"),
        may_upload=_staff_only(Workshop),
    )
    owners.register(
        Deliverable,
        name="deliverable",
        kinds=[Kind.DOCUMENT],
        label=_("deliverable"),
        may_upload=_staff_only(Deliverable),
    )
