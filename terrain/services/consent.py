"""Consent: withdrawn at once everywhere; the public text of findings kept in step with it."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Consent, Finding
from ..quotes import public_quotes, public_text


def refresh_public_quotes(findings) -> int:
    """Rewrite what the search index holds of each finding's quotes; returns how many changed."""
    changed = 0
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
            changed += 1
    return changed


def findings_of_interview(interview_id):
    return Finding.objects.filter(
        backing__excerpt__segment__transcript__interview_id=interview_id
    ).distinct()


@transaction.atomic
def withdraw_consent(consent: Consent, *, by=None) -> Consent:
    """The person no longer consents: every public reading of their quotes stops now.

    Pages and the API read quotes through `Finding.public_quotes()`, which checks consent at each
    request; the search index's text is rewritten here; staff are told by e-mail.
    """
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at", "updated_at"])
    interview_id = consent.interviewee.interview_id
    affected = list(findings_of_interview(interview_id))
    refresh_public_quotes(affected)
    published = [f for f in affected if f.is_published]
    transaction.on_commit(lambda: _tell_staff(published))
    return consent


def _tell_staff(findings) -> None:
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
        _("A consent was withdrawn"),
        _(
            "An interviewee withdrew their consent. Their quotes were removed from the public "
            "pages, the search index, the exports and the API. "
            "Published findings concerned:\n%(titles)s"
        )
        % {"titles": titles},
        None,
        recipients,
        fail_silently=True,
    )
