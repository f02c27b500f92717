"""What an interviewee agreed to, for one interview; checked at the moment a quote is shown."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from medias.fields import PrivateFileField
from observatoire.typography import elide


class Naming(models.TextChoices):
    NAMED = "named", _("under their real name")
    PSEUDONYM = "pseudonym", _("under a pseudonym")


class Consent(models.Model):
    interviewee = models.OneToOneField(
        "terrain.Interviewee",
        verbose_name=_("interviewee"),
        on_delete=models.CASCADE,
        related_name="consent",
    )
    recording_allowed = models.BooleanField(_("recording allowed"), default=False)
    quoting_allowed = models.BooleanField(_("quoting allowed"), default=False)
    naming = models.CharField(
        _("quoted"), max_length=10, choices=Naming.choices, default=Naming.PSEUDONYM
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=100, blank=True)
    publication_allowed = models.BooleanField(_("publication allowed"), default=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # In the private storage under a random name, read only through the season's checking view
    # (terrain:consent-file), which logs every reading; the name it was uploaded with is kept
    # apart, for the download, and its sniffed type (PDF or image) too.
    signed_form = PrivateFileField(
        _("signed form"),
        prefix="consents",
        name_field="signed_form_name",
        blank=True,
        max_length=255,
        help_text=_("A PDF or an image (JPEG, PNG, WebP, TIFF)."),
    )
    signed_form_name = models.CharField(
        _("signed form's file name"), max_length=255, blank=True, editable=False
    )
    signed_form_type = models.CharField(
        _("signed form's sniffed type"), max_length=100, blank=True, editable=False
    )
    signed_at = models.DateField(_("signed on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    # The `valid_until` whose passing was already applied (search text, staff told): a consent
    # extended afterwards and expiring again is applied again, never twice for one date.
    expiry_applied_for = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return elide(_("Consent of %(who)s") % {"who": self.interviewee})

    def private_file_url(self, field_name: str) -> str:
        interview = self.interviewee.interview
        return reverse(
            "terrain:consent-file", args=[interview.visit.season_id, self.interviewee_id]
        )

    def refusal(self, at=None) -> str | None:
        """Why a quote of this person cannot be public now, or None when it can."""
        at = at or timezone.now()
        if self.withdrawn_at is not None:
            return _("consent was withdrawn")
        if not self.quoting_allowed:
            return _("quoting is not allowed")
        if not self.publication_allowed:
            return _("publication is not allowed")
        if self.valid_until is not None and self.valid_until < timezone.localdate(at):
            date = date_format(self.valid_until, "DATE_FORMAT")  # the reader's way, not ISO
            return _("consent expired on %(date)s") % {"date": date}
        if self.naming == Naming.PSEUDONYM and not self.pseudonym.strip():
            return _("a pseudonym is required and none is recorded")
        return None

    def display_name(self) -> str:
        """The name a published quote carries: the real name or the pseudonym."""
        if self.naming == Naming.NAMED:
            return str(self.interviewee.person)
        return self.pseudonym
