"""Operations on fieldwork, called from views, admin, tasks and other apps alike.

Each raises TerrainError with a sentence for the person who asked.
"""

from .codebook_versions import codebook_snapshot, current_codebook_version, publish_codebook_version
from .coding import (
    SHIFTS,
    code_excerpt,
    code_recording,
    create_code,
    merge_codes,
    move_code,
    place_code,
    shift_code,
    uncode_excerpt,
    uncode_recording,
)
from .consent import apply_expired_consents, refresh_public_quotes, withdraw_consent
from .drafts import assign_speaker, draft_language, mark_reviewed, save_draft, speakers_of
from .errors import TerrainError
from .findings import publish_finding, return_finding, submit_finding, withdraw_finding
from .pseudonyms import (
    accepted_decisions,
    apply_accepted_pseudonyms,
    decide_suggestion,
    pending_suggestions,
    suggestions_for,
    undo_pseudonym,
    undo_refusal,
)
from .transcripts import edit_segment, import_segments, parse_pasted_transcript

__all__ = [
    "SHIFTS",
    "TerrainError",
    "code_recording",
    "codebook_snapshot",
    "create_code",
    "current_codebook_version",
    "place_code",
    "publish_codebook_version",
    "shift_code",
    "uncode_recording",
    "accepted_decisions",
    "apply_accepted_pseudonyms",
    "apply_expired_consents",
    "assign_speaker",
    "code_excerpt",
    "decide_suggestion",
    "draft_language",
    "edit_segment",
    "import_segments",
    "mark_reviewed",
    "merge_codes",
    "move_code",
    "parse_pasted_transcript",
    "pending_suggestions",
    "publish_finding",
    "refresh_public_quotes",
    "return_finding",
    "save_draft",
    "speakers_of",
    "submit_finding",
    "suggestions_for",
    "uncode_excerpt",
    "undo_pseudonym",
    "undo_refusal",
    "withdraw_consent",
    "withdraw_finding",
]
