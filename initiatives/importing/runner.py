"""A whole file through the import, as a dry run (nothing written) or for real, batch by batch.

Each row is prepared (rows.py), then matched to an existing initiative: by this source's id for
it; else by SIRET, or by the carrying organisation's SIREN/RNA with the same name; else by
name and commune (duplicates.find_duplicates). The outcome:
* created: nothing matched; a new initiative carrying the source and its id;
* updated: an entry of this same source; the file's non-empty values replace the entry's;
* merged: an entry from elsewhere (typed by staff, another source); only its empty fields are
  filled and themes added, and it keeps its own provenance;
* unchanged: matched, and the file says nothing new (a second import of a file: every row);
* refused: with a sentence, and the line.
So a second import of the same file changes nothing. The import writes one transaction per batch
of BATCH rows, through services.save_entry (history "import:<run id>"); the file is streamed and
only one batch is held, whatever the file's length.
"""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from territoires.names import fold

from ..duplicates import find_duplicates
from ..models import Initiative, Organisation, Role, RoleKind
from ..services import (
    PublicationError,
    check_publishable,
    create_entries,
    publish,
    save_entry,
    unique_slug,
)
from .models import ImportIssue, ImportRun, Stage
from .places import Places
from .readers import open_table
from .rows import Refused, Row, prepare

BATCH = 500
# A duplicate candidate at least this likely is the same entry (same identifier, same name in
# the same commune); weaker ones (a similar name nearby) are left for a person to merge.
SAME = 0.9


def count_rows(run: ImportRun) -> int:
    with run.file.open("rb") as handle:
        return sum(1 for _row in open_table(handle, run.original_name).rows())


def execute(run: ImportRun, stage: str, *, places: Places | None = None) -> Counter:
    """Run the file through `stage` (Stage.PREVIEW or Stage.COMMIT); return the counts."""
    commit = stage == Stage.COMMIT
    places = places or Places()
    run.issues.filter(stage=stage).delete()
    total = count_rows(run)
    ImportRun.objects.filter(pk=run.pk).update(rows_total=total, rows_done=0)
    job = _Job(run, stage, commit)
    with run.file.open("rb") as handle:
        table = open_table(handle, run.original_name)
        batch = []
        for line, raw in table.rows():
            try:
                row = prepare(line, raw, run.mapping, places)
            except Refused as exc:
                job.refuse(line, raw, exc.message)
            else:
                if job.first_time(row):
                    batch.append(row)
            job.read += 1
            if len(batch) >= BATCH or job.read % BATCH == 0:
                job.flush(batch)
                batch = []
        job.flush(batch)
    return job.counts


class _Job:
    def __init__(self, run, stage, commit):
        self.run, self.stage, self.commit = run, stage, commit
        self.source = run.source.name
        self.by = run.created_by
        self.how = f"import:{run.pk}"
        self.counts = Counter(dict.fromkeys(("created", "updated", "merged", "unchanged"), 0))
        self.counts["refused"] = 0
        self.issues = []
        self.seen = {}
        self.read = 0
        self.carriers = {}
        self.duplicate_checks = 0

    # --- in-file duplicates -------------------------------------------------------------

    def first_time(self, row: Row) -> bool:
        keys = [("name", fold(row.values["name"]), row.values["territory_id"])]
        if row.source_id:
            keys.append(("id", row.source_id))
        if row.values.get("siret"):
            keys.append(("siret", row.values["siret"]))
        for key in keys:
            if key in self.seen:
                self.refuse(
                    row.line, row.raw, _("Same entry as line %(line)s.") % {"line": self.seen[key]}
                )
                return False
        for key in keys:
            self.seen[key] = row.line
        return True

    def refuse(self, line, raw, message, *, refused=True):
        if refused:
            self.counts["refused"] += 1
        self.issues.append(
            ImportIssue(
                run=self.run,
                stage=self.stage,
                line=line,
                refused=refused,
                message=message,
                values=raw,
            )
        )

    # --- a batch -------------------------------------------------------------------------

    def flush(self, rows: list[Row]) -> None:
        if rows:
            matches = self._matches(rows)
            if self.commit:
                with transaction.atomic():
                    self._write(rows, matches)
            else:
                for row in rows:
                    self._classify(row, matches.get(row.line))
        ImportIssue.objects.bulk_create(self.issues)
        self.issues = []
        key = "counts" if self.commit else "preview_counts"
        ImportRun.objects.filter(pk=self.run.pk).update(
            rows_done=self.read, **{key: dict(self.counts)}, updated_at=timezone.now()
        )

    def _matches(self, rows) -> dict:
        """line -> the existing initiative the row is, for the rows that are one."""
        found = {}
        ids = [row.source_id for row in rows if row.source_id]
        by_id = {
            obj.source_id: obj
            for obj in Initiative.objects.filter(
                source=self.source, source_id__in=ids
            ).prefetch_related("themes")
        }
        sirets = {row.values["siret"] for row in rows if row.values.get("siret")}
        by_siret = {}
        for obj in Initiative.objects.filter(siret__in=sirets).order_by("pk"):
            by_siret.setdefault(obj.siret, obj)
        sirens = {row.siren for row in rows if row.siren}
        rnas = {row.rna for row in rows if row.rna}
        by_carrier = {}
        if sirens or rnas:
            carried = Initiative.objects.filter(
                roles__kind=RoleKind.LEAD, roles__organisation__siren__in=sirens
            ) | Initiative.objects.filter(
                roles__kind=RoleKind.LEAD, roles__organisation__rna__in=rnas
            )
            for obj in carried.annotate(
                carrier_siren=F("roles__organisation__siren"),
                carrier_rna=F("roles__organisation__rna"),
            ).order_by("pk"):
                for key in (obj.carrier_siren, obj.carrier_rna):
                    if key:
                        by_carrier.setdefault((key, fold(obj.name)), obj)
        # find_duplicates looks for the same identifier (the SIRETs were looked up just above) or
        # the same name in the same commune: a row whose commune holds no entry yet cannot match,
        # and costs no query (if find_duplicates comes to look farther, widen this).
        inhabited = set(
            Initiative.objects.filter(
                territory_id__in={row.values["territory_id"] for row in rows}
            ).values_list("territory_id", flat=True)
        )
        for row in rows:
            name = fold(row.values["name"])
            obj = (
                by_id.get(row.source_id)
                or by_siret.get(row.values.get("siret"))
                or by_carrier.get((row.siren, name))
                or by_carrier.get((row.rna, name))
            )
            if obj is None and row.values["territory_id"] in inhabited:
                self.duplicate_checks += 1
                data = {**row.values, "territory": row.values["territory_id"]}
                candidates = find_duplicates(Initiative, data)
                if candidates and candidates[0].score >= SAME:
                    obj = candidates[0].obj
            if obj is not None:
                found[row.line] = obj
        return found

    def _changes(self, obj, row: Row) -> tuple[str, dict]:
        """("updated" or "merged", field -> new value) for a matched entry."""
        mine = obj.source == self.source
        changes = {}
        for key, value in row.values.items():
            if key == "themes":
                current = {tag.name for tag in obj.themes.all()}
                wanted = set(value) if mine else current | set(value)
                if wanted != current:
                    changes["themes"] = sorted(wanted)
                continue
            current = getattr(obj, key)
            if not mine and current not in ("", None):
                continue
            if current != value:
                changes[key] = value
        return ("updated" if mine else "merged"), changes

    def _classify(self, row: Row, obj) -> tuple[str, dict]:
        if obj is None:
            outcome, changes = "created", dict(row.values)
        else:
            outcome, changes = self._changes(obj, row)
            if not changes:
                outcome = "unchanged"
        self.counts[outcome] += 1
        if outcome == "created" and self.run.publish and not self.commit:
            values = {k: v for k, v in row.values.items() if k != "themes"}
            try:
                check_publishable(Initiative(**values))
            except PublicationError as exc:
                self._unpublished(row, exc)
        return outcome, changes

    def _unpublished(self, row, exc):
        message = _("Imported but not published: %(reason)s") % {"reason": exc}
        self.refuse(row.line, row.raw, message, refused=False)

    def _write(self, rows, matches) -> None:
        """The batch's new rows in one INSERT (services.create_entries); the others, fewer, one
        by one through services.save_entry; rows the database refuses are refused alone."""
        bases = {row.line: slugify(row.values["name"])[:180] or "fiche" for row in rows}
        taken = set(
            Initiative.objects.filter(slug__in=set(bases.values())).values_list("slug", flat=True)
        )
        new, written = [], []
        for row in rows:
            obj = matches.get(row.line)
            outcome, changes = self._classify(row, obj)
            if outcome == "unchanged":
                written.append((row, obj, outcome))
            elif obj is None:
                slug = bases[row.line]
                if slug in taken:
                    slug = unique_slug(Initiative, row.values["name"])
                taken.add(slug)
                fields = {k: v for k, v in row.values.items() if k != "themes"}
                obj = Initiative(source=self.source, source_id=row.source_id, slug=slug, **fields)
                new.append((row, obj))
            elif self._save(row, obj, changes, outcome):
                written.append((row, obj, outcome))
        try:
            with transaction.atomic():
                create_entries(
                    [obj for _row, obj in new],
                    by=self.by,
                    how=self.how,
                    themes=[row.values.get("themes", []) for row, _obj in new],
                )
            written += [(row, obj, "created") for row, obj in new]
        except (ValidationError, IntegrityError):
            # One of them is refused: each goes alone, so that only that one is.
            for row, obj in new:
                obj.pk = None
                changes = {"themes": row.values["themes"]} if row.values.get("themes") else {}
                if self._save(row, obj, changes, "created"):
                    written.append((row, obj, "created"))
        for row, obj, outcome in written:
            self._carry(obj, row)
            if outcome == "created" and self.run.publish:
                try:
                    publish(obj, by=self.by)
                except PublicationError as exc:
                    self._unpublished(row, exc)

    def _save(self, row, obj, changes, outcome) -> bool:
        try:
            save_entry(obj, changes, by=self.by, how=self.how)
        except Exception as exc:  # a row the database refuses must not stop the others
            self.counts[outcome] -= 1
            self.refuse(row.line, row.raw, _reason(exc))
            return False
        return True

    def _carry(self, obj, row: Row) -> None:
        """The organisation that carries the initiative, when the row gives its SIREN or RNA."""
        key = row.siren or row.rna
        if not key:
            return
        organisation = self.carriers.get(key)
        if organisation is None:
            lookup = {"siren": row.siren} if row.siren else {"rna": row.rna}
            organisation = Organisation.objects.filter(**lookup).order_by("pk").first()
            if organisation is None:
                values = {
                    "name": row.organisation or row.values["name"],
                    "siren": row.siren,
                    "rna": row.rna,
                    "territory_id": row.values["territory_id"],
                }
                organisation = save_entry(
                    Organisation(source=self.source), values, by=self.by, how=self.how
                )
            self.carriers[key] = organisation
        Role.objects.get_or_create(initiative=obj, organisation=organisation, kind=RoleKind.LEAD)


def _reason(exc) -> str:
    messages = getattr(exc, "message_dict", None)
    if messages:
        return " ".join(f"{field}: {' '.join(texts)}" for field, texts in messages.items())
    if hasattr(exc, "messages"):
        return " ".join(exc.messages)
    return _("The database refused this row (%(error)s).") % {"error": exc}
