"""The reader's draft notice (speech recognition) and its form to assign speakers to a run."""

from django import template

from medias import conf

from ..services import speakers_of

register = template.Library()


@register.inclusion_tag("terrain/_draft_notice.html")
def draft_notice(season, interview, transcript):
    """Whether the transcript is a draft to review, or how a recording could give one."""
    has_segments = transcript is not None and transcript.segments.exists()
    return {
        "season": season,
        "interview": interview,
        "transcript": transcript,
        "has_segments": has_segments,
        "speech_configured": conf.speech_model_dir() is not None,
    }


@register.inclusion_tag("terrain/_speaker_form.html", takes_context=True)
def speaker_form(context, season, interview, transcript):
    return {
        "season": season,
        "interview": interview,
        "speakers": speakers_of(transcript),
        "csrf_token": context.get("csrf_token"),
    }
