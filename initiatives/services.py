"""Operations on the directory: publish and withdraw, the only writers of a public model's state."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.publishing import Publishable, State

from .models import Initiative, Pole


class PublicationError(Exception):
    """Raised with a sentence for the person who asked to publish."""


def check_publishable(obj: Publishable) -> None:
    if isinstance(obj, Initiative | Pole) and not obj.summary.strip():
        raise PublicationError(_("A summary is needed before publishing."))
    if isinstance(obj, Initiative) and (obj.latitude is None) != (obj.longitude is None):
        raise PublicationError(_("Give both latitude and longitude, or neither."))


@transaction.atomic
def publish(obj: Publishable, *, by=None) -> Publishable:
    check_publishable(obj)
    if obj.state != State.PUBLISHED:
        obj.state = State.PUBLISHED
        obj.published_at = obj.published_at or timezone.now()
        obj.save(update_fields=["state", "published_at", "updated_at"])
    return obj


@transaction.atomic
def withdraw(obj: Publishable, *, by=None) -> Publishable:
    if obj.state != State.WITHDRAWN:
        obj.state = State.WITHDRAWN
        obj.save(update_fields=["state", "updated_at"])
    return obj
