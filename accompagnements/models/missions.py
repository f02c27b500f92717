"""A support mission for a client structure, and the funding lines that pay for it."""

from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MissionState(models.TextChoices):
    LEAD = "lead", _("lead")
    PROPOSAL = "proposal", _("proposal")
    SIGNED = "signed", _("signed")
    IN_PROGRESS = "in_progress", _("in progress")
    DELIVERED = "delivered", _("delivered")
    CLOSED = "closed", _("closed")
    DROPPED = "dropped", _("dropped")


class Audience(models.TextChoices):
    PROJECT_HOLDERS = "project_holders", _("project holders")
    COLLECTIVES = "collectives", _("territories, associations, networks and collectives")
    ALL = "all", pgettext_lazy("audience of a mission", "all")  # "tous publics", not "tous"


class SupportMissionQuerySet(models.QuerySet):
    def with_funding_total(self):
        return self.annotate(funding_total=Sum("funding_lines__amount"))


class SupportMission(models.Model):
    title = models.CharField(_("title"), max_length=200)
    client_organisation = models.ForeignKey(
        "initiatives.Organisation",
        verbose_name=_("client organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_missions",
    )
    client_pole = models.ForeignKey(
        "initiatives.Pole",
        verbose_name=_("client PTCE"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_missions",
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    consultants = models.ManyToManyField(
        "initiatives.Person",
        verbose_name=_("consultants"),
        blank=True,
        related_name="consulting_missions",
    )
    territory = models.ForeignKey(
        "territoires.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_missions",
    )
    initiatives = models.ManyToManyField(
        "initiatives.Initiative",
        verbose_name=_("related initiatives"),
        blank=True,
        related_name="support_missions",
    )
    objectives = models.TextField(_("objectives"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Written only by accompagnements.services.change_state, which knows the allowed transitions.
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=MissionState.choices,
        default=MissionState.LEAD,
        editable=False,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SupportMissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("support mission")
        verbose_name_plural = _("support missions")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(client_organisation__isnull=False, client_pole__isnull=True)
                | Q(client_organisation__isnull=True, client_pole__isnull=False),
                name="mission_has_one_client",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("accompagnements:detail", kwargs={"pk": self.pk})

    @property
    def client(self):
        return self.client_organisation or self.client_pole


class FundingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    REQUESTED = "requested", _("requested")
    GRANTED = "granted", _("granted")
    RECEIVED = "received", _("received")
    REFUSED = "refused", _("refused")


class Funding(models.Model):
    """One funding line: who pays, through which programme, how much, when."""

    mission = models.ForeignKey(
        SupportMission,
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        related_name="funding_lines",
    )
    funder = models.ForeignKey(
        "initiatives.Organisation",
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="funding_lines",
    )
    programme = models.CharField(
        _("programme"), max_length=200, blank=True, help_text=_("e.g. DREETS, an AMI")
    )
    call_for_interest = models.ForeignKey(
        "initiatives.CallForInterest",
        verbose_name=_("call for interest"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funding_lines",
    )
    amount = models.DecimalField(_("amount (€)"), max_digits=12, decimal_places=2)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FundingStatus.choices, default=FundingStatus.PLANNED
    )

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["mission", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_positive"),
        ]

    def __str__(self):
        return f"{self.funder} — {self.programme or self.mission} ({self.amount} €)"
