"""Territories: France's official hierarchy (région > département > commune, EPCIs), free areas."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .names import fold


class Level(models.TextChoices):
    REGION = "region", _("région")
    # Saint-Pierre-et-Miquelon, Polynésie française...: neither région nor département, yet at
    # the top of their own hierarchy (their communes, where they have some, hang under them).
    COLLECTIVITY = "collectivite", _("overseas collectivity")
    DEPARTEMENT = "departement", _("département")
    EPCI = "epci", _("intercommunality (EPCI)")
    COMMUNE = "commune", _("commune")
    AREA = "area", _("free area")


# One letter per level in the materialised path, so "r84/" and "d84/" never collide.
PATH_PREFIX = {
    Level.REGION: "r",
    Level.COLLECTIVITY: "o",
    Level.DEPARTEMENT: "d",
    Level.EPCI: "e",
    Level.COMMUNE: "c",
    Level.AREA: "a",
}


class TerritoryQuerySet(models.QuerySet):
    def current(self):
        """Territories that still exist (merged communes are kept for history, not listed)."""
        return self.filter(is_current=True)

    def within(self, territory):
        """The territory and everything below it, in one indexed query (no recursion)."""
        if territory.level == Level.EPCI:
            # An EPCI straddles départements: its communes are found by membership, not path.
            return self.filter(Q(pk=territory.pk) | Q(epci=territory))
        return self.filter(path__startswith=territory.path)


class Territory(models.Model):
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    code = models.CharField(
        _("code"), max_length=20, help_text=_("INSEE code, SIREN for an EPCI, free for an area.")
    )
    name = models.CharField(_("name"), max_length=200)
    # The name folded as people type it (names.fold): typed names are compared with it, and
    # lists sort by it, so "Île-de-France" sorts among the I on every database.
    search_name = models.CharField(_("name for search"), max_length=200, editable=False, default="")
    slug = models.SlugField(_("slug"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    epci = models.ForeignKey(
        "self",
        verbose_name=_("EPCI"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_communes",
        limit_choices_to={"level": Level.EPCI},
    )
    # Ancestors as a materialised path ("r84/d01/c01053/"): "within" is one prefix match.
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=False)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    # Written by a database trigger (migration 0002), read by observatoire.search.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["search_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="territory_unique_level_code"),
        ]
        indexes = [
            models.Index(
                fields=["path"], name="territory_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["level", "name"], name="territory_level_name"),
            models.Index(
                fields=["search_name"],
                name="territory_search_name",
                opclasses=["varchar_pattern_ops"],  # prefix lookups, whatever the collation
            ),
        ]

    def __str__(self):
        if self.level == Level.COMMUNE:
            return f"{self.name} ({self.code[:3] if self.code.startswith('97') else self.code[:2]})"
        return f"{self.name}"

    def save(self, *args, **kwargs):
        self.path = self.compute_path()
        self.search_name = fold(self.name)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("territoires:detail", kwargs={"level": self.level, "code": self.code})

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{PATH_PREFIX[self.level]}{self.code}/"

    def ancestors(self):
        """Parent chain from the top (région) down to the direct parent, in one query."""
        parts = [p for p in self.path.split("/") if p][:-1]
        lookup = Q()
        for part in parts:
            lookup |= Q(level=_level_for_prefix(part[0]), code=part[1:])
        if not parts:
            return []
        found = {(t.level, t.code): t for t in Territory.objects.filter(lookup)}
        return [
            found[key] for part in parts if (key := (_level_for_prefix(part[0]), part[1:])) in found
        ]

    def _loaded_ancestors(self):
        """The parents up to the top, nearest first, if all are loaded already; else None.

        A path is its parent's path and a part (compute_path), so the parents are the ancestors:
        a page that selects `territory__parent__parent` gets a commune's chain with no query.
        """
        found, place = [], self
        while place.parent_id:
            if not Territory.parent.is_cached(place):
                return None
            place = place.parent
            found.append(place)
        return found

    def chain(self):
        """Commune > EPCI > département > région, as shown on profiles."""
        chain = [self]
        ancestors = self._loaded_ancestors()
        if ancestors is None:
            ancestors = list(reversed(self.ancestors()))
        if self.level == Level.COMMUNE and self.epci_id:
            chain.append(self.epci)
        return chain + ancestors


class PostalCode(models.Model):
    """A postcode of a commune: a commune may have several, a postcode may serve several communes.

    Loaded from the official package with the communes (load_territories); "62700" is a
    postcode of Bruay-la-Buissière, while the commune whose INSEE code is 62700 is Regnauville.
    """

    code = models.CharField(_("postcode"), max_length=5)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("commune"),
        on_delete=models.CASCADE,
        related_name="postal_codes",
    )

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        constraints = [
            models.UniqueConstraint(fields=["code", "territory"], name="postal_code_unique"),
        ]
        indexes = [
            models.Index(
                fields=["code"], name="postal_code_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return self.code


def _level_for_prefix(letter: str) -> str:
    return next(level for level, prefix in PATH_PREFIX.items() if prefix == letter)
