"""Draft transcripts in the reader: mark one reviewed, assign a speaker to a run of segments."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import services
from ..access import in_season, season_view
from ..models import Interview, Transcript
from ..transcript_rows import with_coding


def _transcript(season, pk) -> Transcript:
    interview = in_season(season, Interview, pk=pk)
    transcript = Transcript.objects.filter(interview=interview).select_related("interview").first()
    if transcript is None:
        raise Http404
    return transcript


@season_view
@require_POST
def transcript_reviewed(request, season, pk):
    """The researcher checked the draft against the recording: it is no longer a draft."""
    transcript = _transcript(season, pk)
    services.mark_reviewed(transcript, request.user)
    messages.success(request, _("The transcript is marked as reviewed."))
    return redirect(transcript.interview.get_absolute_url())


@season_view
@require_POST
def speaker_assign(request, season, pk):
    """Give one speaker to the run of segments ticked in the reader (first to last).

    From htmx, the answer is a status line and the changed segments swapped in place (out of
    band); without it, the reader again. Bad input: the reason, with a 400.
    """
    transcript = _transcript(season, pk)
    speaker = request.POST.get("speaker") or request.POST.get("speaker_new") or ""
    ids = [int(value) for value in request.POST.getlist("segments") if value.isdigit()]
    htmx = request.headers.get("HX-Request") == "true"
    try:
        changed = services.assign_speaker(transcript, ids, speaker)
    except services.TerrainError as exc:
        if htmx:
            return render(request, "terrain/_speaker_status.html", {"error": str(exc)}, status=400)
        messages.error(request, str(exc))
        return redirect(f"{transcript.interview.get_absolute_url()}#speaker-form")
    done = ngettext(
        "%(n)d segment given to %(speaker)s.", "%(n)d segments given to %(speaker)s.", len(changed)
    ) % {"n": len(changed), "speaker": speaker.strip()[:100]}
    if not htmx:
        messages.success(request, done)
        return redirect(f"{transcript.interview.get_absolute_url()}#speaker-form")
    # As the reader shows them: passages from an earlier turn marked too, excerpts listed.
    segments = with_coding(
        transcript.segments.filter(pk__in=changed).order_by("position"), request.user
    )
    context = {"season": season, "segments": segments, "message": done}
    return render(request, "terrain/_speaker_status.html", context)
