"""The directory: initiatives, organisations, people, their roles, and PTCEs (Pole)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from observatoire.publishing import Publishable, PublishableQuerySet

from .identifiers import company_page, validate_rna, validate_siren, validate_siret
from .people import PersonQuerySet


class TerritorialQuerySet(PublishableQuerySet):
    def in_territory(self, territory):
        """Rows in the territory or anywhere below it: one indexed join, no recursion."""
        from territoires.models import Level

        if territory.level == Level.EPCI:
            return self.filter(Q(territory=territory) | Q(territory__epci=territory))
        return self.filter(territory__path__startswith=territory.path)


class Sourced(models.Model):
    """Where a row came from when an import wrote it: a re-import of the same source updates it."""

    source = models.CharField(
        _("source"), max_length=80, blank=True, default="", db_default="", editable=False
    )
    source_id = models.CharField(
        _("identifier at the source"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )

    class Meta:
        abstract = True


def source_unique(name):
    return models.UniqueConstraint(
        fields=["source", "source_id"], name=name, condition=~Q(source_id="")
    )


class ManySnapshot(models.Model):
    """What an initiative's version holds of its many-to-many links, which django-simple-history
    does not follow for taggit's themes: written by history.py whenever the links change, so that
    a version's diff shows them and restoring it puts them back. Null on versions before it."""

    theme_names = models.JSONField(_("themes"), null=True, blank=True)
    pole_ids = models.JSONField(_("PTCEs"), null=True, blank=True)

    class Meta:
        abstract = True


class Stage(models.TextChoices):
    IDEA = "idea", _("idea")
    EMERGING = "emerging", _("emerging")
    RUNNING = "running", _("running")
    CONSOLIDATED = "consolidated", _("consolidated")
    ENDED = "ended", _("ended")


class Initiative(Sourced, Publishable):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.RUNNING
    )
    website = models.URLField(_("website"), blank=True)
    # Public contacts of the initiative (a person's own e-mail and phone stay private on Person).
    contact_email = models.EmailField(_("contact e-mail"), blank=True, default="", db_default="")
    contact_phone = models.CharField(
        _("contact phone"), max_length=40, blank=True, default="", db_default=""
    )
    # The establishment where the initiative runs, when it has its own (identifiers.py checks it).
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        default="",
        db_default="",
        validators=[validate_siret],
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    territory = models.ForeignKey(
        "territoires.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    poles = models.ManyToManyField(
        "Pole", verbose_name=_("PTCEs"), blank=True, related_name="initiatives"
    )
    # Written by a database trigger (migration 0002_search_vectors), read by observatoire.search.
    search_vector = SearchVectorField(null=True, editable=False)
    themes = TaggableManager(_("themes"), blank=True)
    # The three levers of co-construction (sectoral interaction, territorial coherence, alliances).
    sectoral_interaction = models.BooleanField(_("sectoral interaction"), default=False)
    territorial_coherence = models.BooleanField(_("territorial coherence"), default=False)
    cross_world_alliances = models.BooleanField(
        _("alliances between actors of different worlds"), default=False
    )

    # Who changed what and how (services.save_entry sets the user and the reason).
    history = HistoricalRecords(
        excluded_fields=["search_vector", "updated_at"], bases=[ManySnapshot]
    )

    objects = TerritorialQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["state", "name"], name="initiative_state_name"),
            # The map asks "published, inside this bounding box" on every pan and zoom.
            models.Index(
                fields=["longitude", "latitude"],
                name="initiative_published_position",
                condition=Q(state="published", latitude__isnull=False),
            ),
            # The duplicate check looks for a similar name in the commune or near the point, in
            # every state: "territory = c OR inside the box" as a BitmapOr of two indexes (a
            # sequential scan of 100,000 rows without this one, 62 ms a row of an import).
            models.Index(
                fields=["longitude", "latitude"],
                name="initiative_position",
                condition=Q(latitude__isnull=False),
            ),
            # The import and the duplicate check look an initiative up by its SIRET, or by the
            # SIREN it starts with (a LIKE prefix: the pattern operator class serves both).
            models.Index(
                fields=["siret"], name="initiative_siret", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            source_unique("initiative_source_id"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="initiative_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="initiative_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiatives:detail", kwargs={"slug": self.slug})


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("association")
    SCOP = "scop", _("cooperative (SCOP)")
    SCIC = "scic", _("cooperative (SCIC)")
    COOPERATIVE = "cooperative", _("other cooperative")
    COMPANY = "company", _("company")
    LOCAL_AUTHORITY = "local_authority", _("local authority")
    PUBLIC_BODY = "public_body", _("public body")
    UNIVERSITY = "university", _("university or research centre")
    FUNDER = "funder", _("funder")
    NETWORK = "network", _("network")
    FOUNDATION = "foundation", _("foundation")
    # The rest of the social and solidarity economy (law of 31 July 2014): mutual societies, and
    # commercial companies approved "entreprise solidaire d'utilité sociale" (ESUS).
    MUTUAL = "mutual", _("mutual society")
    ESUS = "esus", _("company approved ESUS (solidarity enterprise of social utility)")
    ENDOWMENT_FUND = "endowment_fund", _("endowment fund")
    OTHER = "other", _("other")


class Organisation(Sourced, Publishable):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.ASSOCIATION
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, db_index=True, validators=[validate_siren]
    )
    siret = models.CharField(
        _("SIRET (head office)"),
        max_length=14,
        blank=True,
        default="",
        db_default="",
        validators=[validate_siret],
    )
    rna = models.CharField(
        _("RNA number"),
        max_length=10,
        blank=True,
        default="",
        db_default="",
        db_index=True,
        validators=[validate_rna],
    )
    territory = models.ForeignKey(
        "territoires.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    # Written by a database trigger (migration 0002_search_vectors), read by observatoire.search.
    search_vector = SearchVectorField(null=True, editable=False)

    # Who changed what and how (services.save_entry sets the user and the reason).
    history = HistoricalRecords(excluded_fields=["search_vector", "updated_at"])

    objects = TerritorialQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        # The import finds the organisation that carries a row by its SIREN (indexed above) or
        # its RNA number.
        indexes = [models.Index(fields=["rna"], name="organisation_rna")]
        constraints = [source_unique("organisation_source_id")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiatives:organisation", kwargs={"slug": self.slug})

    @property
    def company_page(self) -> str:
        """Its page in the national company directory, by SIREN (linked, never fetched)."""
        return company_page(self.siren)


class Person(Publishable):
    """Someone with a role; shown publicly only when published, and never with contact details."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    public_bio = models.TextField(_("public biography"), blank=True)
    # Private: never rendered on a public page or in a public export.
    email = models.EmailField(_("e-mail (private)"), blank=True)
    phone = models.CharField(_("phone (private)"), max_length=40, blank=True)

    # Who changed what and how (services.save_entry sets the user and the reason).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    # Who may be chosen in a picker: people.py, where apps holding people privately register.
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()


class RoleKind(models.TextChoices):
    FOUNDER = "founder", _("founded")
    LEAD = "lead", _("leads")
    FUNDER = "funder", _("funds")
    PARTNER = "partner", _("partner")
    PARTICIPANT = "participant", _("takes part")
    SUPPORT = "support", _("supports")


class Role(models.Model):
    """Who (an organisation or a person, possibly on behalf of one) does what in an initiative."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="roles"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
    )
    kind = models.CharField(_("role"), max_length=12, choices=RoleKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["initiative", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(person__isnull=False),
                name="role_has_actor",
            ),
        ]

    def __str__(self):
        return f"{self.person or self.organisation} {self.get_kind_display()} {self.initiative}"


class Affiliation(models.Model):
    """A person's position in an organisation (coordinator, president, consultant...)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")

    def __str__(self):
        return f"{self.person}, {self.title} ({self.organisation})"


class PoleStage(models.TextChoices):
    EMERGING = "emerging", _("emerging")
    CONSOLIDATED = "consolidated", _("consolidated")


class CallForInterest(models.Model):
    """A state call for interest (AMI) that PTCEs answer, e.g. the 2021 AMI for PTCEs."""

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("call for interest")
        verbose_name_plural = _("calls for interest")
        ordering = ["-year", "name"]

    def __str__(self):
        return f"{self.name} ({self.year})"


class Pole(Sourced, Publishable):
    """A PTCE: a formal grouping of actors who cooperate economically on a territory."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    territory = models.ForeignKey(
        "territoires.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="poles",
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=PoleStage.choices, default=PoleStage.EMERGING
    )
    founded_year = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    calls_for_interest = models.ManyToManyField(
        CallForInterest, verbose_name=_("calls for interest"), blank=True, related_name="poles"
    )
    members = models.ManyToManyField(
        Organisation,
        verbose_name=_("members"),
        through="PoleMembership",
        related_name="poles",
        blank=True,
    )
    # Written by a database trigger (migration 0002_search_vectors), read by observatoire.search.
    search_vector = SearchVectorField(null=True, editable=False)

    # Who changed what and how (services.save_entry sets the user and the reason).
    history = HistoricalRecords(excluded_fields=["search_vector", "updated_at"])

    objects = TerritorialQuerySet.as_manager()

    class Meta:
        verbose_name = _("PTCE")
        verbose_name_plural = _("PTCEs")
        ordering = ["name"]
        constraints = [source_unique("pole_source_id")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiatives:pole", kwargs={"slug": self.slug})


class MembershipRole(models.TextChoices):
    PILOT = "pilot", _("pilot collective")
    MEMBER = "member", _("member")
    SUPPORT = "support", _("national support body")


class PoleMembership(models.Model):
    pole = models.ForeignKey(
        Pole, verbose_name=_("PTCE"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="pole_memberships",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("PTCE membership")
        verbose_name_plural = _("PTCE memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["pole", "organisation", "role"], name="pole_membership_unique"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()}) — {self.pole}"


class Merge(models.Model):
    """One directory entry merged into another (services.merge): what was chosen, by whom, and
    the alias that keeps the merged entry's old address answering with the survivor."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("kind"), on_delete=models.PROTECT
    )
    survivor_id = models.PositiveBigIntegerField(_("survivor"))
    merged_id = models.PositiveBigIntegerField(_("merged entry"))
    merged_slug = models.SlugField(_("old slug"), max_length=200)
    merged_name = models.CharField(_("merged entry's name"), max_length=300)
    # field name -> "survivor" or "other", as the person chose them.
    choices = models.JSONField(_("choices"), default=dict, blank=True)
    merged_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("merged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        indexes = [models.Index(fields=["content_type", "merged_slug"], name="merge_old_slug")]

    def __str__(self):
        return f"{self.merged_name} → {self.survivor_id}"


# The bulk import's sources, runs and refused rows (initiatives/importing/models.py).
from .importing.models import ImportIssue, ImportRun, ImportSource  # noqa: E402, F401
