"""Partner accounts (a user in an organisation), their API tokens, and the download log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class PartnerAccount(models.Model):
    """A partner's account belongs to one organisation of the directory."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="partner_account",
    )
    organisation = models.ForeignKey(
        "initiatives.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="partner_accounts",
    )

    class Meta:
        verbose_name = _("partner account")
        verbose_name_plural = _("partner accounts")

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class ApiToken(models.Model):
    """Only a SHA-256 hash of the secret is stored; the prefix lets people tell tokens apart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    key_hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Download(models.Model):
    """One download of a publication's file or of an export: who, what, when, which filters."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="downloads",
    )
    organisation = models.ForeignKey(
        "initiatives.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token = models.ForeignKey(
        ApiToken,
        verbose_name=_("API token"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="downloads",
    )
    publication = models.ForeignKey(
        "publications.Publication",
        verbose_name=_("publication"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="downloads",
    )
    file = models.ForeignKey(
        "publications.PublicationFile",
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="downloads",
    )
    export = models.CharField(_("export"), max_length=40, blank=True)  # e.g. "initiatives.csv"
    filters = models.TextField(_("filters (query string)"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-at", "-pk"]

    def __str__(self):
        at = date_format(timezone.localtime(self.at), "SHORT_DATETIME_FORMAT")
        return f"{self.user or '-'}: {self.file or self.export} ({at})"
