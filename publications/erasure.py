"""What publications erase for a person (a GDPR request): the cached PDFs, the shredder registered.

A PDF is cached for a month under a key made of its object's date of change; an erasure's
queryset updates do not always change it, and an old entry would keep the name until it expires.
Every cached PDF is deleted (now and at commit): the next request renders it without them. The
authors of publications are rewritten by the site-wide sweep, which runs before.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from observatoire.cache import delete_prefixed
from observatoire.shredders import BaseShredder

from .models import Publication
from .pdf import PREFIX


class PdfShredder(BaseShredder):
    identifier = "publications"
    order = 90
    verbose_name = gettext_lazy("Publications and cached PDFs")
    description = gettext_lazy(
        "Every cached PDF is deleted and made again on request, without them; publications "
        "crediting them lose their name."
    )

    def preview(self, subject):
        credited = [
            p
            for p in Publication.objects.filter(subject.mentions("authors"))
            if subject.names(p.authors)
        ]
        return [
            ngettext(
                "%(count)d publication crediting them",
                "%(count)d publications crediting them",
                len(credited),
            )
            % {"count": len(credited)},
            _("The cached PDFs will be deleted."),
        ]

    def shred(self, subject):
        transaction.on_commit(lambda: delete_prefixed(PREFIX))
        count = delete_prefixed(PREFIX)
        return [
            ngettext("%(count)d cached PDF deleted", "%(count)d cached PDFs deleted", count)
            % {"count": count}
        ]
