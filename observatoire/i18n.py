"""Language switch that also works from an English page (/en/...) back to French."""

from django.utils import translation
from django.utils.translation import get_language_from_path
from django.views.decorators.csrf import csrf_protect
from django.views.i18n import set_language as django_set_language


@csrf_protect
def set_language(request):
    """Django's set_language, run in the language of the page the visitor comes from.

    /i18n/setlang/ has no language prefix, so Django would read it as French and fail to
    resolve an /en/ `next` address, leaving the visitor on the English page.
    """
    next_url = request.POST.get("next", request.GET.get("next", ""))
    with translation.override(get_language_from_path(next_url) or translation.get_language()):
        return django_set_language(request)
