"""Place names as people type them: one folded form for lookups and for sorting in French order.

"Saint-Omer", "saint omer", "St-Omer" and "ST OMER" all fold to "saint omer"; "Île-de-France" to
"ile de france", which sorts among the I, not after the Z as a byte order would put it.
"""

import re
import unicodedata

# Abbreviations of place names, written out (the official names never abbreviate them).
_EXPANSIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# A postcode or an INSEE commune code: five characters, Corsica's INSEE codes have 2A or 2B.
FIVE_CHARACTER_CODE = re.compile(r"\d[\dAB]\d{3}")
POSTCODE = re.compile(r"\d{5}")


def fold(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces, "st"/"ste" as "saint"/"sainte"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(_LIGATURES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NOT_ALNUM.sub(" ", plain).split()
    return " ".join(_EXPANSIONS.get(word, word) for word in words)


def sort_key(name: str) -> str:
    """For sorting names in Python the way the database sorts `search_name`."""
    return fold(name)
