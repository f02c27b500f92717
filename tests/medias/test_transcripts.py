"""Transcript parsing: WebVTT, SRT, DOCX and the two plain-text shapes; bad lines reported."""

import time

import pytest

from medias.processors import ProcessingError, transcripts

from . import files


def test_webvtt_voices_become_speakers():
    parsed = transcripts.parse_text(files.WEBVTT)
    assert [(s["speaker"], s["start_ms"], s["end_ms"]) for s in parsed.segments] == [
        ("Ophélie Langlais", 1000, 4000),
        ("Marc", 4500, 8000),
    ]
    assert parsed.errors == []


def test_srt_with_speaker_prefix():
    text = (
        "1\n00:00:01,000 --> 00:00:02,500\nMarc: Bonjour\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nSuite\n"
    )
    parsed = transcripts.parse_text(text)
    assert parsed.segments[0] | {} == {
        "speaker": "Marc", "start_ms": 1000, "end_ms": 2500, "text": "Bonjour", "line": 2
    }  # fmt: skip
    assert parsed.segments[1]["speaker"] == ""


def test_plain_text_both_shapes_and_a_bad_line_reported_with_its_number():
    parsed = transcripts.parse_text(files.PLAIN)
    assert [(s["speaker"], s["start_ms"]) for s in parsed.segments] == [
        ("Ophélie", 723_000),
        ("Marc", 730_000),
        ("Ophélie", 780_000),
    ]
    assert parsed.segments[0]["text"] == "Bonjour à tous. la suite du même tour"
    assert parsed.segments[0]["end_ms"] == 730_000
    assert [e["line"] for e in parsed.errors] == [4]


def test_docx_transcript(tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(files.docx(files.PLAIN.splitlines()))
    output = transcripts.process(path)
    assert output.metadata["segments"] == 3
    assert output.records["segments"][1]["speaker"] == "Marc"


def test_overlapping_cues_fail_with_their_lines(tmp_path):
    path = tmp_path / "o.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nA: un\n\n00:00:03.000 --> 00:00:06.000\nB: deux\n"
    )
    with pytest.raises(ProcessingError, match="overlap"):
        transcripts.process(path)


def test_webvtt_character_references_are_decoded_after_the_tags_are_dropped():
    parsed = transcripts.parse_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
        "<v Tom &amp; Co>Dupont &amp; fils &lt;3 &#233;t&eacute; &lt;b&gt; <i>oui</i>\n"
    )
    assert parsed.segments[0]["speaker"] == "Tom & Co"
    assert parsed.segments[0]["text"] == "Dupont & fils <3 été <b> oui"


def test_every_voice_of_a_cue_is_a_turn_sharing_the_cue_time_by_text_length():
    parsed = transcripts.parse_text(
        "WEBVTT\n\n00:00:10.000 --> 00:00:14.000\n"
        "<v Anna>Bonjour à vous</v> <v Marc>Salut</v>\n\n"
        "00:00:15.000 --> 00:00:16.000\n<v.loud Anna>une ligne\n<v Marc>une autre\n"
    )
    assert [(s["speaker"], s["text"], s["start_ms"], s["end_ms"]) for s in parsed.segments] == [
        ("Anna", "Bonjour à vous", 10_000, 12_947),  # 14 characters of 19: 4000 * 14 // 19
        ("Marc", "Salut", 12_947, 14_000),
        ("Anna", "une ligne", 15_000, 15_500),
        ("Marc", "une autre", 15_500, 16_000),
    ]
    assert transcripts.overlaps(parsed.segments) == []


def test_srt_positioning_overrides_are_dropped_and_its_ampersands_kept():
    parsed = transcripts.parse_text(
        "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}Marc: Dupont &amp; fils\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\n{\\pos(10,20)}{\\i1}<i>Suite</i>{\\i0}\n"
    )
    assert [(s["speaker"], s["text"]) for s in parsed.segments] == [
        ("Marc", "Dupont &amp; fils"),  # SRT has no character references: the text as typed
        ("", "Suite"),
    ]


# --- Linear time -----------------------------------------------------------------------------

MB_LINES = {
    "bracket then digits": "[" + "1" * 2**20,
    "name then an open parenthesis of digits": "Ophélie (" + "1:" * 2**19,
    "a word then blanks": "a" + " " * 2**20 + "b",
    "open tags without an end": "00:00:01.000 --> 00:00:02.000\n" + "<" * 2**20,
    "a voice tag that never closes": "00:00:01.000 --> 00:00:02.000\n<v " + " " * 2**20,
    "speaker-like words without a colon": "Marc " + "Marc " * 2**18,
    "a numeric reference of a million digits": "00:00:01.000 --> 00:00:02.000\n&#" + "1" * 2**20,
    "references without an end": "00:00:01.000 --> 00:00:02.000\n" + "&a" * 2**19,
    "voice tags, a million of them": "00:00:01.000 --> 00:00:02.000\n" + "<v a>b" * 2**17,
    "two voices taking turns": "00:00:01.000 --> 00:00:02.000\n" + "<v a>b<v c>d" * 2**16,
    "override blocks that never close": "00:00:01,000 --> 00:00:02,000\n" + "{\\" * 2**19,
}


@pytest.mark.parametrize("line", MB_LINES.values(), ids=MB_LINES.keys())
def test_a_one_megabyte_line_is_parsed_in_well_under_a_second(line):
    """`[111...` took 120 s per 200 KB to the old LOOKS_TIMED: a worker jammed by one file."""
    text = f"[00:00:01] Marc: Bonjour\n{line}\n[00:00:09] Marc: Fin.\n"
    if line.startswith("00:"):
        header = "" if "," in line[:30] else "WEBVTT\n\n"  # SRT's time codes have commas
        text = f"{header}00:00:00,000 --> 00:00:00,500\nMarc: Bonjour\n\n{line}\n"
    started = time.perf_counter()
    parsed = transcripts.parse_text(text)
    assert time.perf_counter() - started < 1
    assert parsed.segments[0]["speaker"] == "Marc"


def test_a_long_line_that_is_a_turn_keeps_all_its_text():
    words = "mot " * 100_000
    parsed = transcripts.parse_text(f"[00:00:01] Marc: {words}\n")
    assert parsed.segments[0]["text"] == words.strip()


def test_a_line_meant_as_a_time_code_is_still_reported():
    parsed = transcripts.parse_text(
        "[00:00:01] Marc: Bonjour\n[00:61:00 Marc: oups]\nJeanne (00:7:99): non\n"
    )
    assert [error["line"] for error in parsed.errors] == [2, 3]
