"""A publication (dataset, report, set of findings) and its files, with licence and audience."""

import contextlib

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medias.fields import PrivateFileField
from observatoire.publishing import Publishable, PublishableQuerySet


class Kind(models.TextChoices):
    DATASET = "dataset", _("dataset")
    REPORT = "report", _("report")
    FINDINGS = "findings", _("set of findings")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    PARTNERS = "partners", _("partners only")


class Licence(models.TextChoices):
    ETALAB_2 = "etalab-2.0", "Licence Ouverte 2.0"
    CC_BY_4 = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA_4 = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC_4 = "cc-by-nc-4.0", "CC BY-NC 4.0"
    ODBL = "odbl-1.0", "ODbL 1.0"
    ALL_RIGHTS = "all-rights-reserved", _("all rights reserved")


LICENCE_URLS = {
    Licence.ETALAB_2: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC_4: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
    Licence.ALL_RIGHTS: "",
}


class PublicationQuerySet(PublishableQuerySet):
    def published(self):
        """Published and past its embargo: the only definition of a public publication."""
        today = timezone.localdate()
        return (
            super().published().filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=today))
        )

    def for_partners(self):
        return self.filter(audience=Audience.PARTNERS)


def can_download(user, publication) -> bool:
    """Files of a partner-only publication: partners and staff; public ones: everyone."""
    if publication.audience == Audience.EVERYONE:
        return True
    return bool(
        user.is_authenticated and (user.is_staff or user.groups.filter(name="partner").exists())
    )


class Publication(Publishable):
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    abstract = models.TextField(_("abstract"), blank=True)
    authors = models.CharField(
        _("authors"), max_length=500, help_text=_("Separated by semicolons: “Family, Given”.")
    )
    date = models.DateField(_("date"))
    version = models.CharField(_("version"), max_length=20, default="1.0")
    licence = models.CharField(
        _("licence"), max_length=24, choices=Licence.choices, default=Licence.ETALAB_2
    )
    embargo_until = models.DateField(_("embargo until"), null=True, blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    initiatives = models.ManyToManyField(
        "initiatives.Initiative", verbose_name=_("initiatives"), blank=True
    )
    territories = models.ManyToManyField(
        "territoires.Territory", verbose_name=_("territories"), blank=True
    )
    seasons = models.ManyToManyField("terrain.Season", verbose_name=_("seasons"), blank=True)
    findings = models.ManyToManyField("terrain.Finding", verbose_name=_("findings"), blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-date", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("publications:detail", kwargs={"slug": self.slug})

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    @property
    def author_list(self) -> list[str]:
        return [name.strip() for name in self.authors.split(";") if name.strip()]


def publication_upload_to(instance, filename):
    # Kept for the first migration, which names it; files now get unguessable names.
    return f"publications/{instance.publication.slug}/{filename}"


class PublicationFile(models.Model):
    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.CASCADE, related_name="files"
    )
    title = models.CharField(_("title"), max_length=200)
    # Every file, open ones included, is in the private storage under a random name and read
    # through publications:file, which checks the audience, the state and the embargo at each
    # request and logs the download: a publication's audience changes (draft, embargo lifted,
    # partners only then open), and a file at a fixed public address could not follow it.
    file = PrivateFileField(
        _("file"), prefix="publications", name_field="original_name", max_length=300
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)

    class Meta:
        verbose_name = _("publication file")
        verbose_name_plural = _("publication files")
        ordering = ["publication", "title", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file:
            with contextlib.suppress(OSError, ValueError):
                self.size = self.file.size
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "publications:file", kwargs={"slug": self.publication.slug, "file_id": self.pk}
        )

    def private_file_url(self, field_name: str) -> str:
        return self.get_absolute_url()
