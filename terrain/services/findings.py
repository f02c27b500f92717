"""A finding's life: draft -> submitted -> published, or returned with a comment."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Finding, FindingExcerpt, FindingState
from ..quotes import backing_excerpts, refusal
from .codebook_versions import current_codebook_version
from .consent import refresh_public_quotes
from .errors import TerrainError


@transaction.atomic
def submit_finding(finding: Finding, *, by=None) -> Finding:
    if finding.state not in (FindingState.DRAFT, FindingState.RETURNED):
        raise TerrainError(_("Only a draft or a returned finding can be submitted."))
    if not finding.title.strip() or not finding.text.strip():
        raise TerrainError(_("A finding needs a title and a text before it is submitted."))
    finding.state = FindingState.SUBMITTED
    finding.submitted_at = timezone.now()
    finding.save(update_fields=["state", "submitted_at", "updated_at"])
    return finding


@transaction.atomic
def return_finding(finding: Finding, comment: str, *, by=None) -> Finding:
    if finding.state != FindingState.SUBMITTED:
        raise TerrainError(_("Only a submitted finding can be returned."))
    if not comment.strip():
        raise TerrainError(_("Say what should change when returning a finding."))
    finding.state = FindingState.RETURNED
    finding.return_comment = comment.strip()
    finding.save(update_fields=["state", "return_comment", "updated_at"])
    return finding


def publication_problems(finding: Finding, at=None) -> list[str]:
    """Every reason the finding cannot be published now, as sentences."""
    problems = []
    if not finding.summary.strip():
        problems.append(_("A summary is needed before publishing."))
    links = FindingExcerpt.objects.filter(finding=finding, quoted=True).select_related("excerpt")
    excerpts = backing_excerpts().filter(pk__in=[link.excerpt_id for link in links])
    for excerpt in excerpts:
        reason = refusal(excerpt, at)
        if reason:
            problems.append(
                _("The quote “%(text)s” cannot be published: %(reason)s.")
                % {"text": excerpt.text[:80], "reason": reason}
            )
    return problems


@transaction.atomic
def publish_finding(finding: Finding, *, by=None) -> Finding:
    """The only way a finding becomes public: every quote is checked against consent now."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.state not in (FindingState.SUBMITTED, FindingState.WITHDRAWN):
        raise TerrainError(_("Only a submitted finding can be published."))
    problems = publication_problems(finding)
    if problems:
        raise TerrainError(" ".join(problems))
    finding.state = FindingState.PUBLISHED
    finding.published_at = finding.published_at or timezone.now()
    finding.codebook_version = current_codebook_version(finding.season, by=by)
    finding.save(update_fields=["state", "published_at", "codebook_version", "updated_at"])
    refresh_public_quotes([finding])
    return finding


@transaction.atomic
def withdraw_finding(finding: Finding, *, by=None) -> Finding:
    if finding.state == FindingState.PUBLISHED:
        finding.state = FindingState.WITHDRAWN
        finding.save(update_fields=["state", "updated_at"])
    return finding
