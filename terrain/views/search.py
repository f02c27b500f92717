"""Search across the transcripts of a season, for the researchers who may open it."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..access import log_access, season_view
from ..models import AccessLog
from ..transcript_search import MAX_WORDS, in_context, matching_segments, words_of

MAX_QUERY = 200


@season_view
def season_search(request, season):
    """Keywords in context across the season's transcripts; each hit opens its passage.

    `season_view` keeps it to the seasons the researcher belongs to (staff: all); a search that
    shows transcript text is logged like an opening of the transcripts."""
    query = request.GET.get("q", "").strip()
    status, error, page = 200, "", None
    if len(query) > MAX_QUERY:
        status = 400
        error = _("A search has at most %(n)d characters.") % {"n": MAX_QUERY}
    elif query:
        words = words_of(query)
        paginator = Paginator(matching_segments(season, words), 50)
        page = paginator.get_page(request.GET.get("page"))
        page.hits = [in_context(segment, words) for segment in page.object_list]
        if page.hits:
            log_access(request, AccessLog.Action.VIEW, AccessLog.Target.TRANSCRIPT, season=season)
    return render(
        request,
        "terrain/season_search.html",
        {
            "season": season,
            "query": query,
            "page": page,
            "error": error,
            "max_words": MAX_WORDS,
        },
        status=status,
    )
