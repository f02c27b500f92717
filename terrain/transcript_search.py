"""Search across the transcripts of a season: every turn holding all the words, accents and case
folded, shown as keywords in context with its speaker and time and a link to the passage."""

import unicodedata
from dataclasses import dataclass

from django.db import connection

from .models import Segment

MAX_WORDS = 8
CONTEXT = 60  # characters shown on each side of a keyword


def fold(text: str) -> tuple[str, list[int]]:
    """The text without accents and case, and for each of its characters the index in `text`
    it comes from (so that a match found in the folded text is cut from the original)."""
    folded, origin = [], []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFD", char).casefold():
            if not unicodedata.combining(piece):
                folded.append(piece)
                origin.append(index)
    return "".join(folded), origin


def words_of(query: str) -> list[str]:
    words = []
    for word in query.split():
        folded = fold(word)[0]
        if folded and folded not in words:
            words.append(folded)
    return words[:MAX_WORDS]


def matching_segments(season, words: list[str]):
    """The season's turns holding every word, in interview and turn order."""
    segments = (
        Segment.objects.filter(transcript__interview__visit__season=season)
        .select_related("transcript__interview__visit")
        .order_by("transcript__interview__visit__date", "transcript__interview", "position")
    )
    if not words:
        return segments.none()
    if connection.vendor == "postgresql":
        # The database folds accents (unaccent) and case; Python cuts the context below.
        for word in words:
            segments = segments.filter(text__unaccent__icontains=word)
        return segments
    # SQLite has no unaccent: the turns of the season are read and folded here.
    return segments.filter(pk__in=[s.pk for s in segments if _holds(s.text, words)])


def _holds(text: str, words) -> bool:
    folded = fold(text)[0]
    return all(word in folded for word in words)


@dataclass
class Hit:
    segment: Segment
    pieces: list  # [(text, is_keyword)]


def in_context(segment: Segment, words: list[str]) -> Hit:
    """The turn cut around its keywords: [(text, is keyword)], long stretches elided."""
    text = segment.text
    folded, origin = fold(text)
    marks = []
    for word in words:
        at = folded.find(word)
        while at != -1:
            start, end = origin[at], origin[at + len(word) - 1] + 1
            marks.append((start, end))
            at = folded.find(word, at + len(word))
    marks.sort()
    merged = []
    for start, end in marks:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    pieces, last = [], 0
    for start, end in merged:
        between = text[last:start]
        if last == 0 and len(between) > CONTEXT:
            between = "…" + between[-CONTEXT:]
        elif len(between) > 2 * CONTEXT:
            between = between[:CONTEXT] + " … " + between[-CONTEXT:]
        pieces += [(between, False), (text[start:end], True)]
        last = end
    tail = text[last:]
    pieces.append((tail if len(tail) <= CONTEXT else tail[:CONTEXT] + "…", False))
    return Hit(segment, [(piece, keyword) for piece, keyword in pieces if piece])
