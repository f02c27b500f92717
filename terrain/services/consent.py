"""Consent: withdrawn or expired, at once everywhere; the public text of findings kept in step."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Consent, Finding
from ..quotes import public_quotes, public_text
from ..signals import public_quotes_changed


def refresh_public_quotes(findings) -> int:
    """Rewrite what the search index holds of each finding's quotes; returns how many changed."""
    changed = []
    for finding in findings:
        quotes = public_quotes(finding)
        text = public_text(quotes)
        removed = any(q.removed for q in quotes)
        if (text, removed) != (finding.public_quotes_text, finding.has_withdrawn_quotes):
            # A queryset update: the search trigger fires, and updated_at stays the editor's.
            Finding.objects.filter(pk=finding.pk).update(
                public_quotes_text=text, has_withdrawn_quotes=removed
            )
            finding.public_quotes_text, finding.has_withdrawn_quotes = text, removed
            changed.append(finding.pk)
    if changed:
        public_quotes_changed.send(sender=Finding, finding_ids=changed)
    return len(changed)


def findings_of_interview(interview_id):
    return findings_of_interviews([interview_id])


def findings_of_interviews(interview_ids):
    return Finding.objects.filter(
        backing__excerpt__segment__transcript__interview_id__in=interview_ids
    ).distinct()


def _apply_to_findings(interview_ids) -> list[Finding]:
    """What a lapsed consent changes: the findings' public text; returns the published ones."""
    affected = list(findings_of_interviews(interview_ids))
    refresh_public_quotes(affected)
    return [f for f in affected if f.is_published]


@transaction.atomic
def withdraw_consent(consent: Consent, *, by=None) -> Consent:
    """The person no longer consents: every public reading of their quotes stops now.

    Pages and the API read quotes through `Finding.public_quotes()`, which checks consent at each
    request; the search index's text is rewritten here; staff are told by e-mail.
    """
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at", "updated_at"])
    published = _apply_to_findings([consent.interviewee.interview_id])
    subject = _("A consent was withdrawn")
    body = _(
        "An interviewee withdrew their consent. Their quotes were removed from the public "
        "pages, the search index, the exports and the API. "
        "Published findings concerned:\n%(titles)s"
    )
    transaction.on_commit(lambda: _tell_staff(published, subject, body))
    return consent


def lapsed_consents(today=None):
    """Consents whose `valid until` has passed and whose passing was not applied yet."""
    today = today or timezone.localdate()
    return Consent.objects.filter(valid_until__lt=today, withdrawn_at=None).filter(
        Q(expiry_applied_for=None) | ~Q(expiry_applied_for=F("valid_until"))
    )


@transaction.atomic
def apply_expired_consents(today=None) -> int:
    """Do for every newly expired consent what withdrawal does; returns how many were applied.

    Pages and the API already refuse an expired consent's quotes at each request; this rewrites
    the search index's text and tells staff, once per expiry date: a second run does nothing.
    """
    consents = list(
        lapsed_consents(today)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("interviewee")
    )
    if not consents:
        return 0
    published = _apply_to_findings({c.interviewee.interview_id for c in consents})
    for consent in consents:
        Consent.objects.filter(pk=consent.pk).update(expiry_applied_for=consent.valid_until)
    subject = _("A consent expired")
    body = ngettext(
        "The consent of %(n)d interviewee reached its end date. Their quotes were removed "
        "from the public pages, the search index, the exports and the API. "
        "Published findings concerned:\n%(titles)s",
        "The consents of %(n)d interviewees reached their end date. Their quotes were removed "
        "from the public pages, the search index, the exports and the API. "
        "Published findings concerned:\n%(titles)s",
        len(consents),
    )
    transaction.on_commit(lambda: _tell_staff(published, subject, body, n=len(consents)))
    return len(consents)


def _tell_staff(findings, subject: str, body: str, **values) -> None:
    """One e-mail to active staff; `body` has a `%(titles)s` for the published findings."""
    recipients = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    titles = "\n".join(f"- {finding.title}" for finding in findings) or _("(none published)")
    send_mail(
        subject,
        body % {"titles": titles, **values},
        None,
        recipients,
        fail_silently=True,
    )
