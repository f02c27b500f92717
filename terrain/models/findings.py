"""Findings: lessons on how cooperation works, backed by excerpts; public once published."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from observatoire.publishing import Publishable, PublishableQuerySet


class FindingState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Finding(Publishable):
    """`Finding.objects.published()` is the only public read; terrain.services changes state."""

    state = models.CharField(
        _("state"),
        max_length=10,
        choices=FindingState.choices,
        default=FindingState.DRAFT,
        db_index=True,
        editable=False,
    )
    season = models.ForeignKey(
        "terrain.Season",
        verbose_name=_("season"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    excerpts = models.ManyToManyField(
        "terrain.Excerpt",
        verbose_name=_("excerpts"),
        through="FindingExcerpt",
        related_name="findings",
        blank=True,
    )
    initiatives = models.ManyToManyField(
        "initiatives.Initiative", verbose_name=_("initiatives"), blank=True, related_name="findings"
    )
    themes = TaggableManager(_("themes"), blank=True)
    sectoral_interaction = models.BooleanField(_("sectoral interaction"), default=False)
    territorial_coherence = models.BooleanField(_("territorial coherence"), default=False)
    cross_world_alliances = models.BooleanField(
        _("alliances between actors of different worlds"), default=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    return_comment = models.TextField(_("comment on return"), blank=True, editable=False)
    # The codebook its codes came from, recorded when it is published.
    codebook_version = models.ForeignKey(
        "terrain.CodebookVersion",
        verbose_name=_("codebook version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
        editable=False,
    )
    licence = models.CharField(_("licence"), max_length=100, default="Licence Ouverte 2.0")
    # The quotes as the public may read them now, written by terrain.services (consent applied);
    # indexed with the rest so that a withdrawn quote leaves the search index in the same step.
    public_quotes_text = models.TextField(editable=False, blank=True)
    has_withdrawn_quotes = models.BooleanField(default=False, editable=False)
    # Written by a database trigger (terrain migration 0002), read by observatoire.search.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-published_at", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("findings:detail", kwargs={"slug": self.slug})

    def public_quotes(self):
        """The quotes anyone may read now (consent checked at this moment): for pages and API.

        A list of terrain.quotes.Quote; a quote whose consent no longer allows it comes back
        as a neutral notice (`quote.removed` is True, no text, no name).
        """
        from terrain.quotes import public_quotes

        return public_quotes(self)


class FindingExcerpt(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="backing")
    excerpt = models.ForeignKey("terrain.Excerpt", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(_("position"), default=0)
    quoted = models.BooleanField(
        _("quoted on the public page"),
        default=True,
        help_text=_("Unquoted excerpts back the finding without being shown."),
    )

    class Meta:
        verbose_name = _("backing excerpt")
        verbose_name_plural = _("backing excerpts")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["finding", "excerpt"], name="finding_excerpt_unique")
        ]

    def __str__(self):
        return f"{self.finding}: {self.excerpt}"


def quoted_publicly(excerpt) -> bool:
    """Whether a published finding quotes the excerpt: only then does changing it change a public
    page (registered with observatoire.cache in apps.py). Deleting one deletes its quoting rows,
    whose own signal bumps."""
    if excerpt is None or excerpt.pk is None:
        return False
    return FindingExcerpt.objects.filter(
        excerpt=excerpt, quoted=True, finding__in=Finding.objects.published()
    ).exists()


def quoting_findings(excerpt) -> list[str]:
    """The cache tags of the findings quoting an excerpt (observatoire.cache, apps.py)."""
    if excerpt is None or excerpt.pk is None:
        return []
    pks = FindingExcerpt.objects.filter(excerpt=excerpt).values_list("finding_id", flat=True)
    return [f"terrain.finding:{pk}" for pk in pks]
