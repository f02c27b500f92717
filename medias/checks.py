"""System checks of how private files are handed over (MEDIA_SERVE) and of the speech model."""

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage

from .serving import MODES


def _private_storage():
    from .models import MediaFile

    return MediaFile._meta.get_field("original").storage


@checks.register()
def media_serve_mode(app_configs, **kwargs):
    mode = settings.MEDIA_SERVE
    if mode not in MODES:
        return [
            checks.Error(
                f"MEDIA_SERVE is {mode!r}.",
                hint=f"Set it to one of {', '.join(MODES)}.",
                id="medias.E001",
            )
        ]
    if mode == "signed-url" and isinstance(_private_storage(), FileSystemStorage):
        return [
            checks.Error(
                "MEDIA_SERVE is 'signed-url' but private files are in a local folder.",
                hint="Signed URLs need an object store (MEDIA_STORAGE=s3); use 'x-accel' or "
                "'direct' with a folder.",
                id="medias.E002",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def media_served_by_python(app_configs, **kwargs):
    if settings.MEDIA_SERVE == "direct" and not isinstance(_private_storage(), FileSystemStorage):
        return [
            checks.Warning(
                "Recordings in the object store are streamed through the Python workers.",
                hint="Set MEDIA_SERVE to 'x-accel' (with deploy/nginx.conf) or 'signed-url'.",
                id="medias.W001",
            )
        ]
    return []


@checks.register()
def speech_model(app_configs, **kwargs):
    """A model folder that was set but holds no model: the feature would be off, silently."""
    from . import conf

    configured = str(getattr(settings, "SPEECH_MODEL_DIR", "") or "").strip()
    if configured and conf.speech_model_dir() is None:
        return [
            checks.Warning(
                f"SPEECH_MODEL_DIR is {configured!r}, which holds no CTranslate2 Whisper model.",
                hint="Install a model there (README, Draft transcripts) or leave it empty: "
                "recordings then get no draft transcript.",
                id="medias.W002",
            )
        ]
    return []
