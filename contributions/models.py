"""What the public sends about the directory: proposals (a new initiative, a correction) and claims.

A proposal keeps the values it proposes and the entry's values at the time, both as JSON (fields.py
converts them), so that staff see what changed since. Nothing sent reaches the moderation queue
before its sender confirms their e-mail address.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("waiting for the e-mail confirmation")
    PENDING = "pending", _("to moderate")
    ACCEPTED = "accepted", _("accepted")
    PARTIAL = "partial", _("accepted in part")
    REFUSED = "refused", _("refused")
    SPAM = "spam", _("spam")


class Kind(models.TextChoices):
    NEW = "new", _("new initiative")
    CORRECTION = "correction", _("correction")


class Sent(models.Model):
    """Who sent it and where it stands: shared by proposals and claims."""

    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"))
    message = models.TextField(_("message to the team"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason for refusal"), blank=True, max_length=2000)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status == Status.PENDING


class ContributionQuerySet(models.QuerySet):
    def to_moderate(self):
        """The queue: confirmed and not yet decided."""
        return self.filter(status=Status.PENDING)


class Contribution(Sent):
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The entry corrected; for a new initiative, the one created when it is accepted.
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contributions",
    )
    proposed = models.JSONField(_("proposed values"), default=dict)
    original = models.JSONField(_("values at the time"), default=dict, blank=True)
    accepted_fields = models.JSONField(_("fields accepted"), default=list, blank=True)
    # Sent by the holder of an accepted claim whose edits go to review.
    claim = models.ForeignKey(
        "Claim",
        verbose_name=_("claim"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["confirmed_at", "pk"]
        indexes = [models.Index(fields=["status", "confirmed_at"])]

    def __str__(self):
        title = self.proposed.get("name") or (self.initiative and self.initiative.name) or ""
        return f"{self.get_kind_display()} #{self.pk}: {title}"


class Claim(Sent):
    """The person behind an initiative asking to keep its profile true themselves."""

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="claims",
    )
    role = models.CharField(_("role in the initiative"), max_length=200)
    # Set when staff accept the claim (an account is made for the address if it has none).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="claims",
    )
    # Staff decide per initiative: the holder's edits are published at once, or go to review.
    publish_directly = models.BooleanField(
        _("their edits are published at once"),
        default=False,
        help_text=_("Otherwise each edit waits in the moderation queue."),
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["confirmed_at", "pk"]

    def __str__(self):
        return f"{self.initiative} — {self.email}"
