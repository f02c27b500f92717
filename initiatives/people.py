"""Who may be chosen in a person picker: decided here once, for every picker of the project.

A published person is a public actor anyone may name; staff may also choose the unpublished ones
(a contact not checked yet). Some people, though, exist only because an upper app met them, such
as an interviewee entered during fieldwork: that app *holds* them, and they are reachable only from
its own pickers, in the context that holds them (the fieldwork of the seasons that interviewed
them). So a mission's consultants or a workshop's facilitators never list an interviewee by name,
and a researcher's interview form lists the public actors and the people of that season only.

Upper apps declare what they hold in their AppConfig.ready() with `register_holder`, as they
register their erasers; this base app knows nothing of fieldwork.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from observatoire.publishing import PublishableQuerySet


@dataclass(frozen=True)
class Holder:
    # () -> the ids of the people this app holds privately (a queryset of `person_id`s).
    held: Callable[[], QuerySet]
    # (user, **context) -> the ids of those this user may pick from this app's pickers there.
    reachable: Callable[..., QuerySet]


_holders: dict[str, Holder] = {}


def register_holder(purpose: str, *, held, reachable) -> None:
    """`purpose` names the pickers that may reach the held people, e.g. "fieldwork"."""
    _holders[purpose] = Holder(held=held, reachable=reachable)


class PersonQuerySet(PublishableQuerySet):
    def public_actors(self, user):
        """The people `user` may see who are held by no app: any picker may offer them."""
        actors = self.visible_to(user)
        for holder in _holders.values():
            actors = actors.exclude(pk__in=holder.held())
        return actors

    def pickable_for(self, user, purpose: str | None = None, **context):
        """The people `user` may choose in a picker serving `purpose` (None: a general one).

        A form gives this as its field's queryset, so the list shows only them and a submitted
        id outside it is refused by the form ("Select a valid choice").
        """
        wanted = Q(pk__in=self.public_actors(user).values("pk"))
        if purpose is not None:
            wanted |= Q(pk__in=_holders[purpose].reachable(user, **context))
        return self.filter(wanted)
