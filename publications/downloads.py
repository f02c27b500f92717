"""The download log: every file or export fetched, by whom, when, with which filters."""

from django.db.models import Count, Max

from .models import Download, PartnerAccount


def organisation_of(user):
    if user is None or not user.is_authenticated:
        return None
    account = PartnerAccount.objects.filter(user=user).select_related("organisation").first()
    return account.organisation if account else None


def log_download(request, *, publication=None, file=None, export="", token=None) -> Download:
    user = request.user if request.user.is_authenticated else None
    return Download.objects.create(
        user=user,
        organisation=organisation_of(user),
        token=token,
        publication=publication,
        file=file,
        export=export,
        filters=request.META.get("QUERY_STRING", "")[:2000],
    )


def per_partner():
    return (
        Download.objects.filter(user__isnull=False)
        .values("user__username", "organisation__name")
        .annotate(count=Count("pk"), last=Max("at"))
        .order_by("-count", "user__username")
    )


def per_publication():
    return (
        Download.objects.filter(publication__isnull=False)
        .values("publication__title", "publication__slug")
        .annotate(count=Count("pk"), last=Max("at"))
        .order_by("-count", "publication__title")
    )
