"""What the directory erases for a person (a GDPR request): their row, the shredder it registers.

The row stays as a withdrawn placeholder, so that roles, affiliations, interviews and missions
that point at it keep their shape; nothing in it names or reaches the person any more, and the
admin's history of the row forgets its name. The directory's own history (django-simple-history)
forgets them too: every earlier version of their row is deleted, leaving only the erased one; the
versions of their roles and affiliations keep their shape (they point at the placeholder) and any
text naming them there is replaced by the sweep (observatoire/sweep.py), as in every other table.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from observatoire.publishing import State
from observatoire.shredders import PLACEHOLDER, BaseShredder

from .models import Merge


class PersonShredder(BaseShredder):
    identifier = "initiatives"
    order = 40
    verbose_name = gettext_lazy("Person and public profile")
    description = gettext_lazy(
        "Their name, slug, biography, e-mail and phone are emptied and the row is withdrawn; "
        "their roles and affiliations stay attached to the placeholder."
    )

    def _history(self, person):
        return LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(person), object_id=str(person.pk)
        )

    def preview(self, subject):
        person = subject.person
        roles, affiliations = person.roles.count(), person.affiliations.count()
        held = [
            label
            for label, value in [
                (_("name"), str(person)),
                (_("biography"), person.public_bio),
                (_("e-mail"), person.email),
                (_("phone"), person.phone),
            ]
            if value
        ]
        lines = [_("Their row: %(held)s") % {"held": ", ".join(held)}]
        if person.state == State.PUBLISHED:
            lines.append(_("Their public profile is published; it will be withdrawn."))
        lines += [
            ngettext("%(count)d role in an initiative", "%(count)d roles in initiatives", roles)
            % {"count": roles},
            ngettext(
                "%(count)d affiliation to an organisation",
                "%(count)d affiliations to organisations",
                affiliations,
            )
            % {"count": affiliations},
        ]
        versions = person.history.count()
        if versions:
            lines.append(
                ngettext(
                    "%(count)d version of their row in the directory's history",
                    "%(count)d versions of their row in the directory's history",
                    versions,
                )
                % {"count": versions}
            )
        return lines

    def shred(self, subject):
        person = subject.person
        was_published = person.state == State.PUBLISHED
        person.first_name = ""
        person.last_name = PLACEHOLDER
        person.slug = f"erased-{person.pk}"
        person.public_bio = person.email = person.phone = ""
        person.state = State.WITHDRAWN
        person._history_user = subject.by
        person._change_reason = "erasure"
        person.save()
        # The erased version just written is the only one left of them.
        latest = person.history.order_by("-history_id").values_list("history_id", flat=True)[:1]
        versions, _counts = person.history.exclude(history_id__in=list(latest)).delete()
        # Rows of them merged into this one (services.merge) left versions under their own ids.
        merges = Merge.objects.filter(
            content_type=ContentType.objects.get_for_model(person), survivor_id=person.pk
        )
        merged, _counts = (
            type(person)
            .history.filter(id__in=list(merges.values_list("merged_id", flat=True)))
            .delete()
        )
        versions += merged
        merges.update(merged_name=PLACEHOLDER, merged_slug=f"erased-{person.pk}")
        history = self._history(person).update(object_repr=PLACEHOLDER, change_message="")
        lines = [_("Name, slug, biography, e-mail and phone emptied")]
        if was_published:
            lines.append(_("Public profile withdrawn"))
        lines.append(
            ngettext(
                "%(count)d line of the admin's history anonymised",
                "%(count)d lines of the admin's history anonymised",
                history,
            )
            % {"count": history}
        )
        lines.append(
            ngettext(
                "%(count)d earlier version of their row deleted from the directory's history",
                "%(count)d earlier versions of their row deleted from the directory's history",
                versions,
            )
            % {"count": versions}
        )
        return lines
