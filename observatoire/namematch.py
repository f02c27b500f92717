"""How a person's name, phone number and e-mail are found in any text, whatever its spelling.

A name is found with or without its accents, in any case, with any separator between its words
("Ophélie Langlais", "OPHELIE LANGLAIS", "entretien-ophelie_langlais.wav"); a phone number with
or without spaces, dots or dashes, national or international ("06 12 34 56 78", "+33612345678").

Each pattern comes twice: a Python pattern that checks word boundaries (what is replaced), and a
regular expression both PostgreSQL and SQLite understand (Django's `__regex` lookup), without
boundaries, that finds the candidate rows (a superset) without reading every row into Python.
"""

import re
import unicodedata
from functools import cache

# Between the words of a name, and inside one ("Jean-Pierre", "N'Diaye"): any of these, or none.
SEPARATORS = r"[\s_.,'’-]*"
# Inside a phone number: one optional space, dot or dash between digits.
PHONE_GAP = r"[\s.-]?"


@cache
def _variants() -> dict[str, str]:
    """{base letter: the letter, its capital and every accented form of both}, Latin letters."""
    found: dict[str, set[str]] = {}
    for code in range(0x41, 0x250):
        char = chr(code)
        if not char.isalpha():
            continue
        base = unicodedata.normalize("NFD", char)[0].lower()
        if "a" <= base <= "z":
            forms = {c for c in (char, char.lower(), char.upper()) if len(c) == 1}
            found.setdefault(base, {base, base.upper()}).update(forms)
    return {base: "".join(sorted(chars)) for base, chars in found.items()}


def _letter(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    chars = _variants().get(base)
    return f"[{chars}]" if chars else re.escape(char)


def name_regex(name: str) -> str:
    """A portable regular expression for `name`: accents, case and separators do not matter."""
    pieces, gap = [], False
    for char in name.strip():
        if char.isalpha():
            if gap and pieces:
                pieces.append(SEPARATORS)
            pieces.append(_letter(char))
            gap = False
        elif char.isdigit():
            pieces.append(char)
            gap = False
        else:
            gap = True
    return "".join(pieces)


def phone_regex(phone: str) -> str | None:
    """A portable regular expression for a phone number in its usual spellings; None if too short.

    A French number is found nationally (0 6 12 ...) and internationally (+33 6 12 ..., 0033).
    """
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 6:
        return None
    prefix = ""
    if digits.startswith("33") and len(digits) == 11:
        digits = digits[2:]
        prefix = r"(?:(?:\+|00)33" + PHONE_GAP + r"(?:\(0\))?" + PHONE_GAP + "|0)"
    elif digits.startswith("0") and len(digits) == 10:
        digits = digits[1:]
        prefix = r"(?:(?:\+|00)33" + PHONE_GAP + r"(?:\(0\))?" + PHONE_GAP + "|0)"
    return prefix + PHONE_GAP.join(digits)


def email_regex(email: str) -> str | None:
    email = (email or "").strip()
    if "@" not in email:
        return None
    return "".join(_letter(c) if c.isalpha() else re.escape(c) for c in email)


# Before a last name, these designate the person ("M. Langlais", "Mme Langlais", "Dr Langlais").
TITLES = ("M", "Mme", "Mlle", "Mr", "Mrs", "Ms", "Dr", "Pr", "Me")


def titled_regex(first: str, last: str) -> str | None:
    """A last name after a title or the first name's initial ("O. Langlais"), portably."""
    surname = name_regex(last)
    if len(last.strip()) < 2 or not surname:
        return None
    titles = [name_regex(title) + r"\.?" for title in TITLES]
    if first.strip()[:1].isalpha():
        titles.append(_letter(first.strip()[0]) + r"\.")
    return "(?:" + "|".join(titles) + r")[\s.]*" + surname


class Finder:
    """The ways to find a set of names (and a phone, an e-mail) in a text and in a database.

    `titled` is (first name, last name): the last name is found after a title or an initial,
    never alone (a last name alone is also a town's, a street's, another family's).
    """

    def __init__(self, names=(), phone: str = "", email: str = "", titled=None):
        words = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
        names_re = [name_regex(name) for name in words]
        names_re = [r for r in names_re if r]
        if titled and (regex := titled_regex(*titled)):
            names_re.insert(0, regex)
        others = [r for r in (phone_regex(phone), email_regex(email)) if r]
        self.empty = not names_re and not others
        # The e-mail first: it holds the name, and goes whole. Letters around a name, digits
        # around a phone number, mean it is another word.
        bounded = []
        if email_regex(email):
            bounded.append(rf"(?<![\w.+-]){email_regex(email)}(?![\w-])")
        if phone_regex(phone):
            bounded.append(rf"(?<!\d){phone_regex(phone)}(?!\d)")
        bounded += [rf"(?<![^\W\d_]){r}(?![^\W\d_])" for r in names_re]
        self.pattern = re.compile("|".join(bounded) or r"(?!x)x")
        # Nothing matches the empty finder: `(?!x)x` is never true, in both databases.
        self.database = "|".join(names_re + others) or r"(?!x)x"

    def sub(self, text: str, replacement) -> str:
        return self.pattern.sub(replacement, text) if text and not self.empty else text

    def search(self, text: str) -> bool:
        return bool(text) and not self.empty and bool(self.pattern.search(text))
