"""The import's operations, called by the staff pages, the Celery task and the command alike.

`start` reads a file's columns and keeps it; `set_mapping` records which column is which field
(on the run, and on its source for the next file); `enqueue` queues the dry run or the import on
the Celery queue; `perform` is the task's body; `run_now` the command's.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from medias.storage import display_name

from . import columns, runner
from .models import ImportRun, ImportSource, RunState, Stage
from .readers import UnreadableFile, open_table

logger = logging.getLogger(__name__)
TASK = "initiatives.tasks.run_import"
# A run left "running" this long without a word from its worker was lost (killed worker): the
# message, delivered again (acks_late), may claim it; the import being idempotent, nothing doubles.
STALE = timedelta(minutes=10)


class ImportRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_bytes() -> int:
    return getattr(settings, "DIRECTORY_IMPORT_MAX_BYTES", 20 * 2**20)


def start(upload, *, source_name: str, user=None, publish=False) -> ImportRun:
    """Read the file's columns (UnreadableFile if it cannot be read) and keep it for the run."""
    if upload.size > max_bytes():
        raise UnreadableFile(
            _("The file is larger than %(mb)s MB; split it.") % {"mb": max_bytes() // 2**20}
        )
    upload.open("rb")
    table = open_table(upload.file if hasattr(upload, "file") else upload, upload.name)
    if len(table.columns) > 200:
        raise UnreadableFile(_("The file has more than 200 columns: is it really a table?"))
    source_name = " ".join(source_name.split())[:80] or display_name(upload.name)[:80]
    with transaction.atomic():
        source, _created = ImportSource.objects.get_or_create(name=source_name)
        run = ImportRun(
            source=source,
            original_name=display_name(upload.name),
            format=table.format,
            columns=table.columns,
            mapping=columns.suggest(table.columns, source.mapping),
            publish=publish,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        upload.seek(0)
        run.file.save(run.original_name, upload, save=False)
        run.save()
    return run


def samples(run: ImportRun, count: int = 3) -> dict:
    """A few values of each column, shown beside it while the person matches columns."""
    found = {name: [] for name in run.columns}
    with run.file.open("rb") as handle:
        for n, (_line, row) in enumerate(open_table(handle, run.original_name).rows()):
            if n >= count:
                break
            for name in run.columns:
                if row.get(name):
                    found[name].append(row[name][:60])
    return found


def set_mapping(run: ImportRun, mapping: dict) -> ImportRun:
    """Keep the mapping on the run, and on the source for its next file."""
    if run.is_active:
        raise ImportRefused(_("This import is running; wait for it to finish."))
    if run.stage == Stage.COMMIT and run.state == RunState.SUCCEEDED:
        raise ImportRefused(_("This file is already imported."))
    mapping = columns.clean(mapping, run.columns)
    if "name" not in mapping.values():
        raise ImportRefused(_("Choose the column that holds the name."))
    run.mapping = mapping
    run.stage, run.state = Stage.MAPPING, RunState.WAITING
    run.save(update_fields=["mapping", "stage", "state", "updated_at"])
    source = run.source
    # Every column of this file, ignored ones as "", so that the next file keeps the choice.
    source.mapping = {**source.mapping, **{c: mapping.get(c, "") for c in run.columns}}
    source.save(update_fields=["mapping", "updated_at"])
    return run


def reopen_mapping(run: ImportRun) -> ImportRun:
    """Back to the column matching after a dry run, to correct it."""
    if run.is_active:
        raise ImportRefused(_("This import is running; wait for it to finish."))
    if run.stage == Stage.COMMIT and run.state != RunState.FAILED:
        raise ImportRefused(_("This file is already imported."))
    run.stage, run.state = Stage.MAPPING, RunState.WAITING
    run.save(update_fields=["stage", "state", "updated_at"])
    return run


def _prepare(run: ImportRun, stage: str) -> None:
    if run.is_active:
        raise ImportRefused(_("This import is running; wait for it to finish."))
    if stage == Stage.COMMIT and not (
        run.stage == Stage.PREVIEW
        and run.state == RunState.SUCCEEDED
        or run.stage == Stage.COMMIT
        and run.state == RunState.FAILED
    ):
        raise ImportRefused(_("Run the dry run first, and read what it says."))
    if stage == Stage.PREVIEW and run.stage == Stage.COMMIT and run.state != RunState.FAILED:
        raise ImportRefused(_("This file is already imported."))
    run.stage, run.state, run.error = stage, RunState.QUEUED, ""
    run.rows_done = 0
    if stage == Stage.COMMIT:
        run.counts = {}
    else:
        run.preview_counts = {}
    run.save()


def enqueue(run: ImportRun, stage: str) -> ImportRun:
    """Queue the dry run or the import; the worker picks it up once this transaction commits."""
    from celery import current_app

    with transaction.atomic():
        _prepare(run, stage)
        transaction.on_commit(lambda: current_app.send_task(TASK, (run.pk, stage)))
    return run


def perform(run_id: int, stage: str) -> str:
    """The task: claim the run (once), go through the file, record how it ended."""
    now = timezone.now()
    claimable = ImportRun.objects.filter(pk=run_id, stage=stage)
    claimed = claimable.filter(state=RunState.QUEUED).update(
        state=RunState.RUNNING, updated_at=now
    ) or claimable.filter(state=RunState.RUNNING, updated_at__lt=now - STALE).update(
        state=RunState.RUNNING, updated_at=now
    )
    if not claimed:
        return "not claimed"
    run = ImportRun.objects.select_related("source", "created_by").get(pk=run_id)
    return _execute(run, stage)


def run_now(run: ImportRun, stage: str) -> ImportRun:
    """The command's way: the same work, in this process, without the queue."""
    if stage == Stage.COMMIT and run.stage == Stage.MAPPING:
        run.stage = Stage.PREVIEW
        run.state = RunState.SUCCEEDED  # the command has no one to read a dry run first
    _prepare(run, stage)
    ImportRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING)
    _execute(run, stage)
    run.refresh_from_db()
    return run


def _execute(run: ImportRun, stage: str) -> str:
    with translation.override(run.language or settings.LANGUAGE_CODE):
        return _execute_in_language(run, stage)


def _execute_in_language(run: ImportRun, stage: str) -> str:
    try:
        runner.execute(run, stage)
    except UnreadableFile as exc:
        _finish(run, RunState.FAILED, exc.message)
        return "failed"
    except Exception as exc:
        logger.exception("Import %s (%s) failed", run.pk, stage)
        _finish(
            run, RunState.FAILED, _("The import stopped on an error: %(error)s") % {"error": exc}
        )
        return "failed"
    _finish(run, RunState.SUCCEEDED, "")
    return "succeeded"


def _finish(run: ImportRun, state: str, error: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        state=state, error=error, finished_at=timezone.now(), updated_at=timezone.now()
    )


def issues_csv(run: ImportRun, stage: str):
    """Rows of the CSV of refused rows: line, why, then the row as it was in the file (written
    with observatoire.csvsafe, so that no cell of a hostile file runs as a formula)."""
    yield [_("line"), _("why"), *run.columns]
    for issue in run.issues.filter(stage=stage).order_by("line", "pk").iterator(chunk_size=500):
        values = [issue.values.get(name, "") for name in run.columns]
        yield [issue.line, issue.message, *values]
