"""Seasons of fieldwork, their visits, and the interviews recorded there (never public)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class SeasonQuerySet(models.QuerySet):
    def for_user(self, user):
        """The seasons a user may open: staff see all, a researcher those they belong to."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff or user.is_superuser:
            return self.all()
        return self.filter(researchers=user)


class Season(models.Model):
    """A fieldwork campaign (saison d'itinérance)."""

    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    route = models.TextField(_("route"), blank=True)
    researchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("researchers"),
        blank=True,
        related_name="seasons",
    )
    funders = models.ManyToManyField(
        "initiatives.Organisation",
        verbose_name=_("funders"),
        blank=True,
        related_name="funded_seasons",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SeasonQuerySet.as_manager()

    class Meta:
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        ordering = ["-start_date", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("terrain:season", kwargs={"season": self.pk})


class Visit(models.Model):
    """A stop on the route: a date, a territory, the initiatives met there."""

    season = models.ForeignKey(
        Season, verbose_name=_("season"), on_delete=models.CASCADE, related_name="visits"
    )
    date = models.DateField(_("date"))
    territory = models.ForeignKey(
        "territoires.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    initiatives = models.ManyToManyField(
        "initiatives.Initiative",
        verbose_name=_("initiatives met"),
        blank=True,
        related_name="visits",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["date", "pk"]
        indexes = [
            # A season's page shows its visits a page at a time in this order: walked in the
            # index with their territories by key, not all of France's hashed (26 ms for 500).
            models.Index(fields=["season", "date", "id"], name="visit_season_order"),
        ]

    def __str__(self):
        where = self.place or (self.territory.name if self.territory_id else "")
        # The reader's date ("7 novembre 2017"), never ISO: this is the visit's name on the pages.
        return f"{date_format(self.date, 'DATE_FORMAT')} {where}".strip()


class Interview(models.Model):
    """A recorded conversation; never public, whatever the state of anything else."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="interviews"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="fr"
    )
    duration = models.DurationField(_("duration"), null=True, blank=True)
    interviewees = models.ManyToManyField(
        "initiatives.Person",
        verbose_name=_("interviewees"),
        through="Interviewee",
        related_name="interviews",
        blank=True,
    )
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewers"),
        blank=True,
        related_name="interviews",
    )
    # Until the medias app serves renditions of the recordings, any audio URL can be played.
    audio_url = models.CharField(_("audio URL"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The REFI-QDA source this interview was imported from: exported again under the same GUID,
    # and a second import of the same project does not add it twice.
    source_guid = models.UUIDField(_("REFI-QDA source GUID"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["date", "pk"]

    def __str__(self):
        return self.title or _("Interview %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("terrain:interview", kwargs={"season": self.season_id, "pk": self.pk})

    @property
    def season_id(self):
        return self.visit.season_id


class Interviewee(models.Model):
    """A person interviewed, with their role (e.g. coordinator of the initiative)."""

    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="people"
    )
    person = models.ForeignKey(
        "initiatives.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="interviewee_roles",
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    # How the person is labelled in the transcript ("Marie", "M. Dupont"), to link speaker turns.
    speaker_label = models.CharField(_("speaker label"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("interviewee")
        verbose_name_plural = _("interviewees")
        constraints = [
            models.UniqueConstraint(fields=["interview", "person"], name="interviewee_unique")
        ]

    def __str__(self):
        return f"{self.person} ({self.role})" if self.role else str(self.person)

    def labels(self) -> set[str]:
        """The speaker labels that designate this person in a transcript."""
        person = self.person
        names = {self.speaker_label, str(person), person.first_name, person.last_name}
        return {name.strip().casefold() for name in names if name and name.strip()}
