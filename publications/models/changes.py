"""The change log behind `/api/v1/changes/`: which API object may have changed, in order.

A row says only "look at (kind, id) again", never what it holds: the feed reads the object's
current published representation when a partner asks, and answers a tombstone (the id alone)
when it is no longer published. So an old row can never leak a withdrawn quote or an erased
name; `seq` (a bigserial) is the partner's cursor.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Change(models.Model):
    seq = models.BigAutoField(primary_key=True)
    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.BigIntegerField(_("object id"))
    at = models.DateTimeField(_("changed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [models.Index(fields=["kind", "object_id"], name="change_kind_object")]

    def __str__(self):
        return f"{self.seq}: {self.kind} {self.object_id}"
