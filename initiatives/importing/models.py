"""Import sources (with their saved column mapping) and import runs, the import's job rows."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from medias.storage import UnguessablePath, private_storage


class ImportSource(models.Model):
    """Where files come from (a partner, a GoGoCarto map): its rows are known by their id there."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    # Column name in the file -> field of the directory, as the person last set it.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        app_label = "initiatives"
        verbose_name = _("import source")
        verbose_name_plural = _("import sources")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Stage(models.TextChoices):
    MAPPING = "mapping", _("column mapping")
    PREVIEW = "preview", _("dry run")
    COMMIT = "commit", _("import")


class RunState(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("import state", "waiting for you")
    QUEUED = "queued", pgettext_lazy("import state", "queued")
    RUNNING = "running", pgettext_lazy("import state", "running")
    SUCCEEDED = "succeeded", pgettext_lazy("import state", "done")
    FAILED = "failed", pgettext_lazy("import state", "failed")


ACTIVE = (RunState.QUEUED, RunState.RUNNING)
# What happened to each row (importing/runner.py says when each applies).
OUTCOMES = {
    "created": pgettext_lazy("import rows", "created"),
    "updated": pgettext_lazy("import rows", "updated"),
    "merged": pgettext_lazy("import rows", "merged with an existing entry"),
    "unchanged": pgettext_lazy("import rows", "unchanged"),
    "refused": pgettext_lazy("import rows", "refused"),
}


class ImportRun(models.Model):
    """One file on its way into the directory: mapping, then a dry run, then the import."""

    source = models.ForeignKey(
        ImportSource, verbose_name=_("source"), on_delete=models.PROTECT, related_name="runs"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=UnguessablePath("imports"), max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=12)
    columns = models.JSONField(_("columns"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    publish = models.BooleanField(_("publish the new entries"), default=False)
    # The language of the person who started it: the worker writes the refusals in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.MAPPING
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RunState.choices, default=RunState.WAITING
    )
    # Counts of the dry run and of the import: created, updated, merged, unchanged, refused.
    preview_counts = models.JSONField(_("counts of the dry run"), default=dict, blank=True)
    counts = models.JSONField(_("counts of the import"), default=dict, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    error = models.TextField(_("reason of failure"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        app_label = "initiatives"
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} ({self.source})"

    def get_absolute_url(self):
        return reverse("initiatives:import", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE

    @property
    def progress(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    def counts_of(self, stage) -> list[tuple[str, str, int]]:
        counts = self.counts if stage == Stage.COMMIT else self.preview_counts
        return [(name, label, counts.get(name, 0)) for name, label in OUTCOMES.items()]


class ImportIssue(models.Model):
    """A row refused (or imported with a remark), with its line number and a sentence why."""

    run = models.ForeignKey(
        ImportRun, verbose_name=_("import"), on_delete=models.CASCADE, related_name="issues"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    line = models.PositiveIntegerField(_("line"))
    refused = models.BooleanField(_("refused"), default=True)
    message = models.TextField(_("why"))
    values = models.JSONField(_("values of the row"), default=dict)

    class Meta:
        app_label = "initiatives"
        verbose_name = _("import issue")
        verbose_name_plural = _("import issues")
        ordering = ["run", "stage", "line", "pk"]
        indexes = [models.Index(fields=["run", "stage", "line"], name="import_issue_run_line")]

    def __str__(self):
        return f"{self.line}: {self.message}"
