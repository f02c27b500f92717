"""An initiative's files (photos, documents, videos), registered with `medias.owners` in apps.py.

Staff upload them; the public reads only their public renditions (EXIF-free thumbnails) and only
while the initiative is published.
"""

from django.utils.translation import gettext_lazy as _

from medias.models import Kind

from .models import Initiative


def staff_uploads(user):
    """Initiatives this user may upload to: all of them for staff, none otherwise."""
    staff = user.is_authenticated and (user.is_staff or user.is_superuser)
    return Initiative.objects.all() if staff else Initiative.objects.none()


def can_read(user, media, derived) -> bool:
    return (
        derived is not None
        and derived.public
        and Initiative.objects.published().filter(pk=media.owner.pk).exists()
    )


def register() -> None:
    from medias import owners

    owners.register(
        Initiative,
        name="initiative",
        kinds=[Kind.IMAGE, Kind.DOCUMENT, Kind.VIDEO],
        label=_("initiative"),
        may_upload=staff_uploads,
        can_read=can_read,
    )
