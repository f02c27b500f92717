"""An interview: its transcript beside its recording, coding, segments typed or pasted.

Every opening of the transcript page, the recording and each transcript download (text, WebVTT,
SRT) is logged.
"""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from medias.access import new_listening
from medias.models import PseudonymSuggestion
from medias.selectors import latest_rendition, player_files

from .. import audio_urls, services, subtitles
from ..access import in_season, interview_of, log_access, season_view
from ..forms import PasteForm
from ..models import AccessLog, AudioExcerpt, Code, Excerpt, Interview, Segment, Transcript
from ..refi import source_text
from ..services.agreement import reader_double_coding
from ..transcript_rows import segment_rows, with_coding


def _interview(season, pk):
    return in_season(
        season,
        Interview,
        queryset=Interview.objects.select_related("visit__season").prefetch_related(
            "people__person", "people__consent"
        ),
        pk=pk,
    )


@season_view
def interview_detail(request, season, pk):
    return _reader(request, season, pk)


def _reader(request, season, pk, status=200, recording_form=None):
    """The reader page; a refused form comes back in it with its values and a 400."""
    interview = _interview(season, pk)
    transcript = Transcript.objects.filter(interview=interview).first()
    segments = []
    double_coding = reader_double_coding(interview, request.user, request.GET.get("codage"))
    if transcript is not None:
        segments = with_coding(
            transcript.segments.order_by("position"),
            request.user,
            double_coding["shown"] if double_coding else None,
        )
        log_access(request, AccessLog.Action.VIEW, AccessLog.Target.TRANSCRIPT, interview=interview)
    codes = list(season.codes.filter(is_codable=True).order_by("position", "name"))
    recorded = list(
        interview.audio_excerpts.select_related("coder")
        .prefetch_related("codes")
        .order_by("start_ms", "pk")
    )
    response = render(
        request,
        "terrain/interview_detail.html",
        {
            "season": season,
            "interview": interview,
            "transcript": transcript,
            "segments": segments,
            "codes": codes,
            "recorded": recorded,
            "recorded_ranges": json.dumps([[x.start_ms, x.end_ms] for x in recorded]),
            "paste_form": PasteForm(),
            "player": _player(interview),
            "pseudonym_suggestions": services.pending_suggestions(interview).order_by(
                "-occurrences", "name", "pk"
            ),
            "pseudonyms_accepted": services.accepted_decisions(interview),
            "pseudonyms_frozen": services.undo_refusal(interview),
            "double_coding": double_coding,
            "recording_form": recording_form or {},
        },
        status=status,
    )
    # The player follows the recording view's redirect to an external recording host: the
    # page's Content-Security-Policy (django-csp's per-response update) lets it play from there.
    url = interview.audio_url
    origin = audio_urls.origin(url)
    if origin and audio_urls.allowed(url, host=request.get_host(), secure=request.is_secure()):
        response._csp_update = {"media-src": [origin]}
    return response


def _player(interview):
    """What the reader's player plays: the uploaded recording's rendition with its waveform (its
    own URL, served with byte ranges by medias, rather than a redirect at each range request), or
    else the interview's audio URL through the logged redirect; None without either."""
    uploaded = player_files(interview)
    if uploaded is not None:
        return uploaded
    if interview.audio_url:
        url = reverse("terrain:recording", args=[interview.visit.season_id, interview.pk])
        return {"audio": url, "waveform": None}
    return None


def _uploaded_audio(interview):
    """The playable rendition of the interview's latest uploaded recording, once processed."""
    return latest_rendition(interview, "rendition-audio")


@season_view
def recording(request, season, pk):
    """The audio: an uploaded recording's rendition (served and logged by the medias app, with
    the same season check), or else the interview's audio URL through a logged redirect."""
    interview = _interview(season, pk)
    rendition = _uploaded_audio(interview)
    if rendition is not None:
        return HttpResponseRedirect(
            reverse("medias:rendition", args=[rendition.media_id, rendition.name])
        )
    url = interview.audio_url
    if not audio_urls.allowed(url, host=request.get_host(), secure=request.is_secure()):
        raise Http404
    # A player may come back here at each range request: one row a listening, as in medias.
    if new_listening(request, f"interview-{interview.pk}:audio-url"):
        log_access(request, AccessLog.Action.VIEW, AccessLog.Target.RECORDING, interview=interview)
    return HttpResponseRedirect(url)


@season_view
def transcript_download(request, season, pk):
    interview = _interview(season, pk)
    transcript = Transcript.objects.filter(interview=interview).first()
    if transcript is None:
        raise Http404
    log_access(request, AccessLog.Action.DOWNLOAD, AccessLog.Target.TRANSCRIPT, interview=interview)
    response = HttpResponse(source_text(transcript).text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="transcript-{interview.pk}.txt"'
    return response


# What each subtitle download is written with, and the type it is served as.
SUBTITLES = {
    "vtt": (subtitles.webvtt, "text/vtt; charset=utf-8"),
    "srt": (subtitles.srt, "application/x-subrip; charset=utf-8"),
}


@season_view
def transcript_subtitles(request, season, pk, format):
    """The transcript as a WebVTT or SRT file, for subtitle and oral-history tools (OHMS)."""
    interview = _interview(season, pk)
    transcript = Transcript.objects.filter(interview=interview).first()
    if transcript is None:
        raise Http404
    write, content_type = SUBTITLES[format]
    log_access(request, AccessLog.Action.DOWNLOAD, AccessLog.Target.TRANSCRIPT, interview=interview)
    response = HttpResponse(write(transcript.segments.order_by("position")), content_type)
    response["Content-Disposition"] = f'attachment; filename="transcript-{interview.pk}.{format}"'
    return response


@season_view
@require_POST
def transcript_paste(request, season, pk):
    interview = _interview(season, pk)
    form = PasteForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or _("Check the form."))
        return redirect(interview.get_absolute_url())
    transcript, _created = Transcript.objects.get_or_create(
        interview=interview, defaults={"language": interview.language}
    )
    turns = services.parse_pasted_transcript(form.cleaned_data["pasted"])
    try:
        created = services.import_segments(transcript, turns)
    except services.TerrainError as exc:
        messages.error(request, str(exc))
    else:
        saved = ngettext("%(n)d segment saved.", "%(n)d segments saved.", len(created))
        messages.success(request, saved % {"n": len(created)})
    return redirect(interview.get_absolute_url())


@season_view
@require_http_methods(["GET", "POST"])
def segment_edit(request, season, pk):
    """A segment's edit form (GET: htmx brings it into the reader's row when its "Edit" opens;
    without htmx, on a page of its own), and its saving (POST, back to the reader)."""
    segment = in_season(season, Segment, pk=pk)
    if request.method == "GET":
        context = {"season": season, "segment": segment}
        if request.headers.get("HX-Request") == "true":
            return render(request, "terrain/_segment_form.html", context)
        return render(request, "terrain/segment_edit.html", context)
    try:
        services.edit_segment(
            segment,
            text=request.POST.get("text"),
            speaker=request.POST.get("speaker"),
            start_ms=request.POST.get("start_ms") or None,
            end_ms=request.POST.get("end_ms") or None,
        )
    except (services.TerrainError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Segment saved."))
    return redirect(f"{segment.transcript.interview.get_absolute_url()}#segment-{segment.pk}")


@season_view
@require_POST
def code_passage(request, season):
    """Apply codes to a passage selected in the reader (JSON from coding.js, or a form)."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except ValueError:
            return JsonResponse({"error": _("The request could not be read.")}, status=400)
        code_ids = data.get("codes") or []
    else:
        data = request.POST
        code_ids = request.POST.getlist("codes")
    try:
        segment = in_season(season, Segment, pk=int(data.get("segment")))
        end_segment = None
        if data.get("end_segment") not in (None, "", str(segment.pk), segment.pk):
            end_segment = in_season(season, Segment, pk=int(data.get("end_segment")))
        codes = list(Code.objects.filter(season=season, pk__in=[int(c) for c in code_ids]))
        excerpt = services.code_excerpt(
            segment,
            int(data.get("start")),
            int(data.get("end")),
            codes,
            coder=request.user,
            memo=str(data.get("memo") or ""),
            end_segment=end_segment,
        )
    except (TypeError, ValueError):
        return JsonResponse({"error": _("The selection could not be read.")}, status=400)
    except services.TerrainError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    # The segments as the reader shows them, so that coding.js swaps them in without a reload.
    shown = with_coding(segment.transcript.segments.order_by("position"), request.user)
    first = excerpt.segment.position
    last = excerpt.end_segment.position if excerpt.end_segment_id else first
    rows = [
        {"segment": row.pk, "html": segment_rows([row], season)}
        for row in shown
        if first <= row.position <= last
    ]
    return JsonResponse(
        {
            "excerpt": excerpt.pk,
            "text": excerpt.text,
            "codes": [code.name for code in excerpt.codes.all()],
            "segment": excerpt.segment_id,
            "html": rows[0]["html"],
            "segments": rows,
        }
    )


@season_view
@require_POST
def code_quick(request, season):
    """A code created from the reader's coding panel (htmx): its box comes back ticked, and
    coding.js applies it to the selection at once. A name the codebook has is that code."""
    try:
        code, _created = services.create_code(season, request.POST.get("name", ""))
    except services.TerrainError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    return render(
        request, "terrain/_code_choice.html", {"code": code, "checked": True, "season": season}
    )


def parse_clock(value) -> int:
    """Milliseconds from `h:mm:ss`, `m:ss` or seconds, each with optional decimals."""
    parts = str(value or "").strip().replace(",", ".").split(":")
    if not parts[-1] or len(parts) > 3:
        raise ValueError(value)
    seconds = 0.0
    for part in parts:
        number = float(part)
        if number < 0 or number != number:  # negative or NaN
            raise ValueError(value)
        seconds = seconds * 60 + number
    if seconds > 100 * 3600:
        raise ValueError(value)
    return round(seconds * 1000)


@season_view
@require_POST
def code_recording(request, season, pk):
    """Apply codes to a time range of the interview's recording (marked on the waveform)."""
    interview = _interview(season, pk)
    back = f"{interview.get_absolute_url()}#recording-coding"
    try:
        start_ms = parse_clock(request.POST.get("start"))
        end_ms = parse_clock(request.POST.get("end"))
        code_ids = [int(c) for c in request.POST.getlist("codes")]
        codes = list(Code.objects.filter(season=season, pk__in=code_ids))
        services.code_recording(interview, start_ms, end_ms, codes, coder=request.user)
    except (TypeError, ValueError):
        error = _("Give the start and the end as h:mm:ss, m:ss or seconds.")
    except services.TerrainError as exc:
        error = str(exc)
    else:
        messages.success(request, _("The passage of the recording is coded."))
        return redirect(back)
    kept = {
        "start": request.POST.get("start", ""),
        "end": request.POST.get("end", ""),
        "codes": request.POST.getlist("codes"),
        "error": error,
    }
    return _reader(request, season, pk, status=400, recording_form=kept)


@season_view
@require_POST
def recording_uncode(request, season, pk, code):
    excerpt = in_season(season, AudioExcerpt, pk=pk)
    code = in_season(season, Code, pk=code)
    services.uncode_recording(excerpt, code)
    return redirect(f"{excerpt.interview.get_absolute_url()}#recording-coding")


@season_view
@require_POST
def excerpt_uncode(request, season, pk, code):
    excerpt = in_season(season, Excerpt, Excerpt.objects.visible_to(request.user), pk=pk)
    code = in_season(season, Code, pk=code)
    interview_url = excerpt.segment.transcript.interview.get_absolute_url()
    try:
        services.uncode_excerpt(excerpt, code)
    except services.TerrainError as exc:
        messages.error(request, str(exc))
    return redirect(interview_url)


def _suggestion(season, pk):
    """A name found in a transcript of this season, with its interview; 404 otherwise."""
    suggestion = get_object_or_404(
        PseudonymSuggestion.objects.select_related("media__owner_type"), pk=pk
    )
    found_in = interview_of(suggestion.media.owner)
    if found_in is None:
        raise Http404
    return suggestion, _interview(season, found_in.pk)


@season_view
@require_POST
def pseudonym_decide(request, season, pk):
    """Accept (with the pseudonym as edited) or reject a name found in the transcript."""
    suggestion, interview = _suggestion(season, pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_suggestion(
            suggestion, accept, request.POST.get("pseudonym"), by=request.user
        )
    except services.TerrainError as exc:
        messages.error(request, str(exc))
    else:
        if accept:
            messages.success(
                request, _("%(name)s is replaced in the transcript.") % {"name": suggestion.name}
            )
        else:
            messages.success(request, _("%(name)s is kept as it is.") % {"name": suggestion.name})
    return redirect(f"{interview.get_absolute_url()}#pseudonyms")


@season_view
@require_POST
def pseudonym_undo(request, season, pk):
    """Put back a name replaced by its pseudonym, while no published finding quotes it."""
    suggestion, interview = _suggestion(season, pk)
    try:
        services.undo_pseudonym(suggestion, by=request.user)
    except services.TerrainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(name)s is back in the transcript.") % {"name": suggestion.name}
        )
    return redirect(f"{interview.get_absolute_url()}#pseudonyms")
