from django.urls import path

from .views import agreement, cases, codebook, drafts, findings, reader, refi, search, seasons

app_name = "terrain"
urlpatterns = [
    path("", seasons.season_list, name="seasons"),
    path("journal/", seasons.access_log, name="access-log"),
    path("<int:season>/", seasons.season_detail, name="season"),
    path("<int:season>/recherche/", search.season_search, name="season-search"),
    path("<int:season>/visites/nouvelle/", seasons.visit_create, name="visit-create"),
    path(
        "<int:season>/visites/<int:visit>/entretien/",
        seasons.interview_create,
        name="interview-create",
    ),
    path("<int:season>/entretiens/<int:pk>/", reader.interview_detail, name="interview"),
    path(
        "<int:season>/entretiens/<int:pk>/personnes/",
        seasons.interviewee_add,
        name="interviewee-add",
    ),
    path("<int:season>/entretiens/<int:pk>/audio/", reader.recording, name="recording"),
    path(
        "<int:season>/entretiens/<int:pk>/transcription.txt",
        reader.transcript_download,
        name="transcript-download",
    ),
    path(
        "<int:season>/entretiens/<int:pk>/transcription.vtt",
        reader.transcript_subtitles,
        {"format": "vtt"},
        name="transcript-vtt",
    ),
    path(
        "<int:season>/entretiens/<int:pk>/transcription.srt",
        reader.transcript_subtitles,
        {"format": "srt"},
        name="transcript-srt",
    ),
    path(
        "<int:season>/entretiens/<int:pk>/coller/", reader.transcript_paste, name="transcript-paste"
    ),
    path("<int:season>/consentements/<int:pk>/", seasons.consent_edit, name="consent"),
    path(
        "<int:season>/consentements/<int:pk>/formulaire/",
        seasons.consent_file,
        name="consent-file",
    ),
    path("<int:season>/segments/<int:pk>/", reader.segment_edit, name="segment-edit"),
    path(
        "<int:season>/entretiens/<int:pk>/relue/",
        drafts.transcript_reviewed,
        name="transcript-reviewed",
    ),
    path(
        "<int:season>/entretiens/<int:pk>/locuteurs/",
        drafts.speaker_assign,
        name="speaker-assign",
    ),
    path("<int:season>/pseudonymes/<int:pk>/", reader.pseudonym_decide, name="pseudonym-decide"),
    path(
        "<int:season>/pseudonymes/<int:pk>/annuler/", reader.pseudonym_undo, name="pseudonym-undo"
    ),
    path("<int:season>/coder/", reader.code_passage, name="code-passage"),
    path("<int:season>/coder/nouveau-code/", reader.code_quick, name="code-quick"),
    path(
        "<int:season>/entretiens/<int:pk>/coder-enregistrement/",
        reader.code_recording,
        name="code-recording",
    ),
    path(
        "<int:season>/passages-enregistres/<int:pk>/retirer/<int:code>/",
        reader.recording_uncode,
        name="recording-uncode",
    ),
    path(
        "<int:season>/extraits/<int:pk>/retirer/<int:code>/",
        reader.excerpt_uncode,
        name="excerpt-uncode",
    ),
    path("<int:season>/codes/", codebook.codebook, name="codebook"),
    path("<int:season>/codes/<int:pk>/", codebook.code_detail, name="code"),
    path("<int:season>/codes/<int:pk>/fusionner/", codebook.code_merge, name="code-merge"),
    path("<int:season>/codes/<int:pk>/deplacer/", codebook.code_move, name="code-move"),
    path("<int:season>/codes/<int:pk>/ranger/", codebook.code_arrange, name="code-arrange"),
    path("<int:season>/codes/versions/", codebook.codebook_publish, name="codebook-publish"),
    path("<int:season>/cooccurrences/", codebook.cooccurrence_table, name="cooccurrence"),
    path("<int:season>/memos/", codebook.memo_create, name="memo-create"),
    path("<int:season>/export.qdpx", refi.export, name="export"),
    path("<int:season>/codes.qdc", refi.export_codebook, name="export-codebook"),
    path("<int:season>/codes/importer/", refi.codebook_import, name="codebook-import"),
    path("<int:season>/importer.qdpx", refi.project_import, name="project-import"),
    path("<int:season>/enseignements/nouveau/", findings.finding_edit, name="finding-create"),
    path("<int:season>/enseignements/<int:pk>/", findings.finding_edit, name="finding"),
    path(
        "<int:season>/enseignements/<int:pk>/extraits/",
        findings.finding_add_excerpt,
        name="finding-add-excerpt",
    ),
    path(
        "<int:season>/enseignements/<int:pk>/<str:action>/",
        findings.finding_action,
        name="finding-action",
    ),
    path("<int:season>/relecture/", findings.review_queue, name="review"),
    path("<int:season>/double-codage/", agreement.season_agreement, name="agreements"),
    path("<int:season>/double-codage/accord.csv", agreement.agreement_csv, name="agreement-csv"),
    path(
        "<int:season>/entretiens/<int:pk>/double-codage/",
        agreement.interview_agreement,
        name="agreement",
    ),
    path(
        "<int:season>/entretiens/<int:pk>/double-codage/termine/",
        agreement.declare_done,
        name="agreement-done",
    ),
    path(
        "<int:season>/entretiens/<int:pk>/double-codage/regler/",
        agreement.settle,
        name="agreement-settle",
    ),
    path("<int:season>/cas/", cases.case_list, name="cases"),
    path("<int:season>/cas/<int:pk>/", cases.case_edit, name="case"),
    path(
        "<int:season>/attributs/<int:pk>/supprimer/",
        cases.attribute_delete,
        name="attribute-delete",
    ),
    path("<int:season>/matrice/", cases.matrix, name="matrix"),
    path("<int:season>/matrice/extraits/", cases.matrix_cell, name="matrix-cell"),
    path("<int:season>/matrice.csv", cases.matrix_export, {"format": "csv"}, name="matrix-csv"),
    path("<int:season>/matrice.xlsx", cases.matrix_export, {"format": "xlsx"}, name="matrix-xlsx"),
]
