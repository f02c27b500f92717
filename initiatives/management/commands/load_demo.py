"""`load_demo`: load the demo directory and accounts (idempotent), then print counts and logins."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from initiatives import demo


class Command(BaseCommand):
    help = _(
        "Load demo initiatives, organisations, PTCEs and one account per role (not in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count",
            type=int,
            default=demo.DEFAULT_COUNT,
            help=_("Number of generated initiatives (default: %(default)s)."),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help=_(
                "Seed of the generator; the same seed gives the same data (default: %(default)s)."
            ),
        )

    def handle(self, *args, count, seed, **options):
        try:
            result = demo.load_demo(count=count, seed=seed)
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from exc

        for name in result.skipped:
            self.stderr.write(_("Skipped (its territory is not loaded): %(name)s") % {"name": name})
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data loaded in %(seconds).1f s.") % {"seconds": result.seconds}
            )
        )
        for label, total, published in result.counts:
            if published is None:
                line = _("%(label)s: %(total)d") % {"label": label, "total": total}
            else:
                line = ngettext(
                    "%(label)s: %(total)d (%(published)d published, %(other)d draft or withdrawn)",
                    "%(label)s: %(total)d (%(published)d published, %(other)d drafts or withdrawn)",
                    total - published,
                ) % {
                    "label": label,
                    "total": total,
                    "published": published,
                    "other": total - published,
                }
            self.stdout.write("  " + line)

        self.stdout.write("")
        self.stdout.write(_("Demo accounts (they exist only where DEMO_ALLOWED is true):"))
        rows = [(_("role"), _("username"), _("password"))]
        for account in result.accounts:
            if account.username is None:
                rows.append((account.role, "-", _("no account needed")))
            else:
                rows.append((account.role, account.username, account.password))
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        for role, username, password in rows:
            self.stdout.write(f"  {role:<{widths[0]}}  {username:<{widths[1]}}  {password}")
