"""The shared regional agenda: events proposed by actors, moderated by staff, then published."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from initiatives.models import TerritorialQuerySet
from observatoire.publishing import Publishable


class Kind(models.TextChoices):
    MEETING = "meeting", _("meeting")
    WORKSHOP = "workshop", _("workshop")
    TRAINING = "training", _("training")
    WEBINAR = "webinar", _("webinar")
    GATHERING = "gathering", _("national gathering")


def repeating() -> Q:
    """Events that repeat (an RRULE, or added dates), as a filter."""
    return ~Q(rrule="") | ~Q(rdates=[])


class EventQuerySet(TerritorialQuerySet):
    def upcoming(self, start_of_today=None):
        """Events not yet over (an event without an end is over when its day is).

        A series is kept whatever its first date: agenda.recurrence tells which dates are ahead.
        `start_of_today` is today's midnight unless given.
        """
        if start_of_today is None:
            today = timezone.localdate()
            start_of_today = timezone.make_aware(
                timezone.datetime(today.year, today.month, today.day)
            )
        return self.filter(
            Q(ends_at__gte=start_of_today)
            | Q(ends_at__isnull=True, starts_at__gte=start_of_today)
            | repeating()
        )


def new_uid() -> str:
    return f"{uuid.uuid4()}@observatoire"


class Event(Publishable):
    """A draft event is a proposal: it is public once staff publish it."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    # All-day events keep local midnight in starts_at/ends_at; ends_at is then the last day.
    all_day = models.BooleanField(_("all day"), default=False)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    url = models.URLField(_("link"), blank=True)
    territory = models.ForeignKey(
        "territoires.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    organiser = models.ForeignKey(
        "initiatives.Organisation",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    themes = TaggableManager(_("themes"), blank=True)
    initiatives = models.ManyToManyField(
        "initiatives.Initiative", verbose_name=_("initiatives"), blank=True, related_name="events"
    )
    poles = models.ManyToManyField(
        "initiatives.Pole", verbose_name=_("PTCEs"), blank=True, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    # The iCalendar UID: kept from an imported file, so importing it again adds no duplicates.
    uid = models.CharField(_("UID"), max_length=255, unique=True, default=new_uid, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # Why staff refused a proposal: the proposer is told, and staff see it later.
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, editable=False)

    # Repetition, as iCalendar writes it (see agenda.recurrence): the RRULE value, and the
    # added (RDATE) and excluded (EXDATE) dates as ISO 8601 strings.
    rrule = models.CharField(
        _("recurrence rule"),
        max_length=500,
        blank=True,
        help_text=_("An iCalendar RRULE, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=10."),
    )
    rdates = models.JSONField(_("added dates"), default=list, blank=True)
    exdates = models.JSONField(_("excluded dates"), default=list, blank=True)
    # A changed occurrence of a series (RECURRENCE-ID): it replaces the series' date
    # `recurrence_id`, and is written back with the series' UID.
    recurrence_of = models.ForeignKey(
        "self",
        verbose_name=_("occurrence of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    recurrence_id = models.DateTimeField(
        _("original date of the occurrence"), null=True, blank=True
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["state", "starts_at"], name="event_state_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(recurrence_of__isnull=True, recurrence_id__isnull=True)
                | Q(recurrence_of__isnull=False, recurrence_id__isnull=False),
                name="event_override_has_its_date",
            ),
            models.UniqueConstraint(
                fields=["recurrence_of", "recurrence_id"],
                condition=Q(recurrence_of__isnull=False),
                name="event_one_override_per_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agenda:detail", kwargs={"pk": self.pk})

    @property
    def repeats(self) -> bool:
        return bool(self.rrule or self.rdates)

    def clean(self):
        """A rule staff type in the admin must be one the pages and the feed can expand."""
        from .recurrence import check_rule

        super().clean()
        if self.rrule and self.starts_at:
            try:
                check_rule(self.rrule, start=self.starts_at, all_day=self.all_day)
            except (ValueError, TypeError) as exc:
                raise ValidationError(
                    {"rrule": _("This rule cannot be read: %(reason)s") % {"reason": exc}}
                ) from exc
