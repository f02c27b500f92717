"""Codebook versions: a numbered snapshot each time the codebook changed and a version is asked
for (a finding published, or a researcher publishing one), so findings name their codebook."""

from django.db import transaction

from ..models import CodebookVersion, Season


def codebook_snapshot(season: Season) -> list[dict]:
    """The codebook as it stands: one entry per code, in tree order."""
    codes = list(season.codes.order_by("position", "name"))
    children = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    guids = {code.pk: str(code.guid) for code in codes}
    rows = []

    def walk(parent_id):
        for code in children.get(parent_id, []):
            rows.append(
                {
                    "guid": str(code.guid),
                    "name": code.name,
                    "parent": guids.get(code.parent_id),
                    "codable": code.is_codable,
                    "definition": code.definition,
                    "colour": code.colour,
                }
            )
            walk(code.pk)

    walk(None)
    return rows


@transaction.atomic
def current_codebook_version(season: Season, *, by=None, note="") -> CodebookVersion:
    """The season's latest version if the codebook has not changed since; else a new one."""
    Season.objects.select_for_update().filter(pk=season.pk).first()  # one number at a time
    snapshot = codebook_snapshot(season)
    latest = season.codebook_versions.order_by("-number").first()
    if latest is not None and latest.codes == snapshot:
        return latest
    return CodebookVersion.objects.create(
        season=season,
        number=(latest.number + 1) if latest else 1,
        codes=snapshot,
        note=note.strip()[:300],
        created_by=by,
    )


def publish_codebook_version(season: Season, *, by=None, note="") -> tuple[CodebookVersion, bool]:
    """(the version, whether it is new): asked for explicitly from the codebook page."""
    latest = season.codebook_versions.order_by("-number").first()
    version = current_codebook_version(season, by=by, note=note)
    return version, latest is None or version.pk != latest.pk
