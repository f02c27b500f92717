"""Erase a person everywhere, for a request received by mail: `erase_person PERSON_ID --yes`.

Without --yes it prints what every app holds about the person and changes nothing; with it, it
runs the same erasure as the admin's button and prints what each part removed.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiatives.models import Person
from observatoire import shredders


class Command(BaseCommand):
    help = gettext_lazy("Erase a person everywhere (a request to be forgotten); --yes to do it.")

    def add_arguments(self, parser):
        parser.add_argument("person_id", type=int)
        parser.add_argument(
            "--yes", action="store_true", help=gettext_lazy("Erase; without it, only show.")
        )
        parser.add_argument(
            "--by", help=gettext_lazy("Username of the staff member who handles the request.")
        )

    def handle(self, person_id, yes=False, by=None, **options):
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            raise CommandError(_("No person has the id %(pk)s.") % {"pk": person_id})
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(_("No user is called %(name)s.") % {"name": by})
        if not yes:
            self.stdout.write(
                _("What the site holds about %(name)s (#%(pk)s):")
                % {"name": person, "pk": person.pk}
            )
            self.stdout.write("\n".join(shredders.preview(person).lines()))
            self.stdout.write(_("Nothing was changed. Run again with --yes to erase."))
            return
        report = shredders.erase_person(person, by=user)
        self.stdout.write("\n".join(report.lines()))
        self.stdout.write(self.style.SUCCESS(_("Person #%(pk)s was erased.") % {"pk": person_id}))
