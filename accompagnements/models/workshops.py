"""A workshop of a mission and its outputs: métaplan board, backcasting timeline, summary."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    METAPLAN = "metaplan", _("métaplan")
    BACKCASTING = "backcasting", _("backcasting")
    SHARED_DIAGNOSIS = "shared_diagnosis", _("shared diagnosis")
    WORLD_CAFE = "world_cafe", _("world café")
    WEBINAR = "webinar", _("webinar")


class Workshop(models.Model):
    mission = models.ForeignKey(
        "accompagnements.SupportMission",
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        related_name="workshops",
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateTimeField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    participant_count = models.PositiveIntegerField(_("number of participants"), default=0)
    facilitators = models.ManyToManyField(
        "initiatives.Person", verbose_name=_("facilitators"), blank=True, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)
    # Backcasting: the year participants are placed in, and the fictional label they received.
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    scenario = models.TextField(_("fictional scenario"), blank=True)
    # Photos of the boards and audio recordings are medias.MediaFile rows owned by the workshop.

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["date", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("accompagnements:detail", kwargs={"pk": self.mission_id}) + f"#w{self.pk}"


class WorkshopParticipant(models.Model):
    """A participant who agreed to be named (the others are only counted)."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(_("name"), max_length=200)
    structure = models.CharField(_("structure"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("named participant")
        verbose_name_plural = _("named participants")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.structure})" if self.structure else self.name


class MetaplanCluster(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="clusters"
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class MetaplanCard(models.Model):
    """A post-it: entered during the workshop or transcribed from a photo of the board."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="cards"
    )
    cluster = models.ForeignKey(
        MetaplanCluster,
        verbose_name=_("cluster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cards",
    )
    text = models.CharField(_("text"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)
    # A photo of the board (a MediaFile owned by the workshop) the card was transcribed from.
    photo = models.ForeignKey(
        "medias.MediaFile",
        verbose_name=_("transcribed from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class BackcastingMilestone(models.Model):
    """A fictional achievement given to participants (e.g. "in 2028 the network did ...")."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="milestones"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("achievement"))

    class Meta:
        verbose_name = _("fictional achievement")
        verbose_name_plural = _("fictional achievements")
        ordering = ["year", "pk"]

    def __str__(self):
        return f"{self.year}: {self.text[:60]}"


class BackcastingStep(models.Model):
    """A step participants proposed, placed on the timeline: together they form the roadmap."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="steps"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.CharField(_("step"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("roadmap step")
        verbose_name_plural = _("roadmap steps")
        ordering = ["year", "position", "pk"]

    def __str__(self):
        return f"{self.year}: {self.text}"
