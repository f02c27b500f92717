"""Operations on contributions and claims: send, confirm, accept (whole or in part), refuse, spam.

Every change reaches the directory through `initiatives.services.save_entry`, so the entry's
history records who and how: "contribution:<id>" for an accepted proposal, "claim:<id>" for an
edit its claim holder published at once.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from initiatives.models import Initiative
from initiatives.services import PublicationError, publish, save_entry

from . import fields as proposable
from .models import Claim, Contribution, Kind, Status

SALT = "contributions.confirm"
PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


class ContributionError(Exception):
    """Raised with a translated sentence for the person; `status` is the HTTP answer."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


# --- Spam: one budget per address --------------------------------------------------------------


def _rate() -> tuple[int, int]:
    count, _slash, period = settings.CONTRIBUTION_RATE.partition("/")
    return int(count), PERIODS.get(period.rstrip("s"), 3600)


def _rate_key(ip: str) -> str:
    return f"contributions:sent:{ip}"


def check_budget(ip: str) -> None:
    """Refuse (429) an address that has sent its budget of proposals in the current window."""
    limit, _seconds = _rate()
    if (cache.get(_rate_key(ip)) or 0) >= limit:
        raise ContributionError(
            _("Too many proposals were sent from your connection; please try again later."),
            status=429,
        )


def spend_budget(ip: str) -> None:
    """Count one proposal against the address (atomic in the cache); refuse one over budget."""
    limit, seconds = _rate()
    key = _rate_key(ip)
    cache.add(key, 0, timeout=seconds)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        sent = 1
    if sent > limit:
        check_budget(ip)


# --- Sending and confirming --------------------------------------------------------------------


def confirmation_token(obj) -> str:
    return signing.dumps({"kind": obj._meta.model_name, "pk": obj.pk}, salt=SALT)


def _mail(to: str, subject: str, template: str, context: dict) -> None:
    """Send once the transaction commits: a rolled-back proposal sends nothing."""
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


def _ask_confirmation(obj, site_url: str) -> None:
    link = site_url.rstrip("/") + reverse(
        "contributions:confirm", kwargs={"token": confirmation_token(obj)}
    )
    _mail(
        obj.email,
        _("Please confirm what you sent to the observatory"),
        "contributions/mail_confirm.txt",
        {"obj": obj, "link": link, "days": settings.CONTRIBUTION_CONFIRM_DAYS},
    )


@transaction.atomic
def propose_new(proposed: dict, sender: dict, *, site_url: str) -> Contribution:
    """A new initiative: only the fields the person filled are kept (the diff shows those)."""
    proposed = {name: value for name, value in proposed.items() if value not in ("", None)}
    contribution = Contribution.objects.create(kind=Kind.NEW, proposed=proposed, **sender)
    _ask_confirmation(contribution, site_url)
    return contribution


@transaction.atomic
def propose_correction(
    initiative, changes: dict, current: dict, sender: dict, *, site_url: str
) -> Contribution:
    """`changes` holds only the fields the person changed; `current` the entry's values then."""
    if not changes:
        raise ContributionError(_("You changed nothing: correct at least one field."))
    contribution = Contribution.objects.create(
        kind=Kind.CORRECTION,
        initiative=initiative,
        proposed=changes,
        original={name: current.get(name, "") for name in changes},
        **sender,
    )
    _ask_confirmation(contribution, site_url)
    return contribution


@transaction.atomic
def claim(initiative, role: str, sender: dict, *, site_url: str) -> Claim:
    obj = Claim.objects.create(initiative=initiative, role=role, **sender)
    _ask_confirmation(obj, site_url)
    return obj


def load(token: str):
    """The proposal or claim behind a confirmation link; ContributionError if the link is bad."""
    try:
        data = signing.loads(
            token, salt=SALT, max_age=dt.timedelta(days=settings.CONTRIBUTION_CONFIRM_DAYS)
        )
    except signing.SignatureExpired:
        raise ContributionError(
            _("This confirmation link has expired; please send your proposal again."), status=410
        ) from None
    except signing.BadSignature:
        raise ContributionError(_("This confirmation link is not valid."), status=400) from None
    model = {"contribution": Contribution, "claim": Claim}.get(data.get("kind"))
    obj = model.objects.filter(pk=data.get("pk")).first() if model else None
    if obj is None:
        raise ContributionError(_("This confirmation link is not valid."), status=404)
    return obj


def confirm(token: str):
    """Put the proposal or claim in the moderation queue (once); return it and whether it moved."""
    obj = load(token)
    updated = (
        type(obj)
        .objects.filter(pk=obj.pk, status=Status.UNCONFIRMED)
        .update(status=Status.PENDING, confirmed_at=timezone.now())
    )
    obj.refresh_from_db()
    return obj, bool(updated)


# --- Moderation --------------------------------------------------------------------------------


def _decided(obj, status: str, by, reason: str = "") -> None:
    obj.status = status
    obj.decided_at = timezone.now()
    obj.decided_by = by
    obj.reason = reason
    obj.save(update_fields=["status", "decided_at", "decided_by", "reason"])


def _check_pending(obj) -> None:
    if obj.status != Status.PENDING:
        raise ContributionError(
            _("This proposal was already decided (%(status)s).")
            % {"status": obj.get_status_display()},
            status=409,
        )


@transaction.atomic
def accept(contribution: Contribution, values: dict, *, by, publish_new=False, site_url=""):
    """Apply the accepted fields (`values`: field -> value as save_entry takes it).

    Raises django's ValidationError (the fields' messages) or ContributionError.
    """
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    _check_pending(contribution)
    if not values:
        raise ContributionError(_("Tick at least one field to accept, or refuse the proposal."))
    how = f"contribution:{contribution.pk}"
    if contribution.kind == Kind.NEW:
        # The pin at the commune's centre, as the staff form pre-fills it: on the map at once.
        territory, pin = values.get("territory"), {}
        if getattr(territory, "latitude", None) is not None:
            pin = {"latitude": territory.latitude, "longitude": territory.longitude}
        entry = save_entry(Initiative(), pin | values, by=by, how=how)
        contribution.initiative = entry
        if publish_new:
            try:
                publish(entry, by=by)  # its history row keeps the same reason
            except PublicationError as exc:  # the whole acceptance is rolled back
                raise ContributionError(str(exc)) from None
    else:
        entry = Initiative.objects.select_for_update().get(pk=contribution.initiative_id)
        save_entry(entry, values, by=by, how=how)
    contribution.accepted_fields = [name for name in proposable.FIELDS if name in values]
    whole = set(contribution.accepted_fields) == set(contribution.proposed) and all(
        proposable.to_json(name, values[name]) == contribution.proposed[name] for name in values
    )
    contribution.save(update_fields=["initiative", "accepted_fields"])
    _decided(contribution, Status.ACCEPTED if whole else Status.PARTIAL, by)
    if contribution.claim_id is None:
        _mail(
            contribution.email,
            _("Your proposal to the observatory was accepted"),
            "contributions/mail_decision.txt",
            {"obj": contribution, "entry": entry, "site_url": site_url.rstrip("/")},
        )
    return entry


@transaction.atomic
def refuse(obj, reason: str, *, by, site_url=""):
    """Refuse a proposal or a claim; the reason is mailed to whoever sent it."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    _check_pending(obj)
    _decided(obj, Status.REFUSED, by, reason.strip())
    _mail(
        obj.email,
        _("Your proposal to the observatory was not accepted"),
        "contributions/mail_decision.txt",
        {"obj": obj, "site_url": site_url.rstrip("/")},
    )
    return obj


@transaction.atomic
def mark_spam(contributions=(), claims=(), *, by) -> int:
    """Many at once, and no mail: a spammer's address learns nothing."""
    now, count = timezone.now(), 0
    for model, rows in ((Contribution, contributions), (Claim, claims)):
        pks = [row.pk for row in rows]
        count += model.objects.filter(pk__in=pks, status=Status.PENDING).update(
            status=Status.SPAM, decided_at=now, decided_by=by
        )
    return count


# --- Claims ------------------------------------------------------------------------------------


def _account_for(email: str):
    """The account of this address, made (without a password, to be chosen) if there is none."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is not None:
        return user, False
    username = email.lower()[:150]
    if User.objects.filter(username=username).exists():
        raise ContributionError(_("An account already uses this name; ask the team."), status=409)
    user = User.objects.create_user(username=username, email=email)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user, True


@transaction.atomic
def accept_claim(claim_obj: Claim, *, by, publish_directly: bool, site_url: str) -> Claim:
    claim_obj = Claim.objects.select_for_update().get(pk=claim_obj.pk)
    _check_pending(claim_obj)
    user, created = _account_for(claim_obj.email)
    claim_obj.user = user
    claim_obj.publish_directly = publish_directly
    claim_obj.save(update_fields=["user", "publish_directly"])
    _decided(claim_obj, Status.ACCEPTED, by)
    site = site_url.rstrip("/")
    password_link = ""
    if created or not user.has_usable_password():
        password_link = site + reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    _mail(
        claim_obj.email,
        _("You can now keep your initiative’s profile up to date"),
        "contributions/mail_claim_accepted.txt",
        {
            "claim": claim_obj,
            "user": user,
            "password_link": password_link,
            "login_link": site + reverse("login"),
            "edit_link": site
            + reverse("contributions:holder-edit", kwargs={"slug": claim_obj.initiative.slug}),
        },
    )
    return claim_obj


def set_publish_directly(claim_obj: Claim, publish_directly: bool) -> Claim:
    claim_obj.publish_directly = publish_directly
    claim_obj.save(update_fields=["publish_directly"])
    return claim_obj


def holder_claim(user, initiative):
    """The accepted claim that lets `user` edit `initiative` directly, or None."""
    if not user.is_authenticated:
        return None
    return (
        Claim.objects.filter(user=user, initiative=initiative, status=Status.ACCEPTED)
        .order_by("-decided_at")
        .first()
    )


@transaction.atomic
def holder_edit(claim_obj: Claim, values: dict, current: dict, *, by):
    """A claim holder's edit: published at once, or a proposal in the queue, as staff decided.

    Returns the entry (published at once) or the Contribution waiting for review.
    """
    if not values:
        raise ContributionError(_("You changed nothing: correct at least one field."))
    if claim_obj.publish_directly:
        entry = Initiative.objects.select_for_update().get(pk=claim_obj.initiative_id)
        return save_entry(entry, values, by=by, how=f"claim:{claim_obj.pk}")
    proposed = {name: proposable.to_json(name, value) for name, value in values.items()}
    return Contribution.objects.create(
        kind=Kind.CORRECTION,
        initiative_id=claim_obj.initiative_id,
        proposed=proposed,
        original={name: current.get(name, "") for name in proposed},
        claim=claim_obj,
        name=by.get_full_name() or claim_obj.name,
        email=by.email or claim_obj.email,
        status=Status.PENDING,
        confirmed_at=timezone.now(),
    )


# --- Keeping no more than needed ---------------------------------------------------------------


def purge_unconfirmed(now=None) -> int:
    """Forget what was never confirmed once its link has expired: it holds an e-mail address
    and can no longer reach the queue."""
    before = (now or timezone.now()) - dt.timedelta(days=settings.CONTRIBUTION_CONFIRM_DAYS)
    count = 0
    for model in (Contribution, Claim):
        deleted, _rows = model.objects.filter(
            status=Status.UNCONFIRMED, created_at__lt=before
        ).delete()
        count += deleted
    return count
