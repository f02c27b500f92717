"""How to cite a publication or a finding: a sentence, BibTeX, RIS and CSL-JSON, from one record.

Each format is written to its own rules, because each is read by tools nobody here wrote
(Zotero, JabRef, BibTeX and biber, pandoc and citeproc):
- BibTeX: a corporate author is braced, so that "{Observatoire des initiatives coopératives}" is
  not read as a Mr Coopératives; `url` is verbatim (the url package and biber read it as is);
  every other field has the characters TeX treats specially escaped; the key is ASCII.
- CSL-JSON: only the variables of the official schema (publications/schemas/csl/csl-data.json).
- RIS: tagged lines, CRLF, one AU per author, for Zotero, EndNote and Mendeley.
"""

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field

PUBLISHER = "Observatoire des initiatives coopératives"
CSL_TYPES = {"dataset": "dataset", "report": "report", "findings": "report", "finding": "report"}
BIBTEX_TYPES = {
    "dataset": "misc", "report": "techreport", "findings": "techreport", "finding": "techreport"
}  # fmt: skip
RIS_TYPES = {"dataset": "DATA", "report": "RPRT", "findings": "RPRT", "finding": "RPRT"}
KIND_NAMES = {
    "dataset": "Dataset", "report": "Report", "findings": "Findings", "finding": "Finding"
}  # fmt: skip
MEDIA_TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}


@dataclass
class Citable:
    """What any citation says of a work; built from a publication or a finding."""

    key_slug: str
    kind: str  # dataset, report, findings (a publication's kinds) or finding
    title: str
    authors: list[str]  # "Family, Given" for a person, anything else for an organisation
    date: dt.date
    url: str
    version: str = ""
    abstract: str = ""
    licence: str = ""
    licence_url: str = ""
    keywords: list[str] = field(default_factory=list)


def for_publication(publication, url: str) -> Citable:
    return Citable(
        key_slug=publication.slug,
        kind=publication.kind,
        title=publication.title,
        authors=publication.author_list,
        date=publication.date,
        url=url,
        version=publication.version,
        abstract=publication.abstract,
        licence=publication.get_licence_display(),
        licence_url=publication.licence_url,
    )


def for_finding(finding, url: str) -> Citable:
    """A published finding: the observatory is its author (researchers are not named publicly)."""
    published = finding.published_at or finding.updated_at
    return Citable(
        key_slug=finding.slug,
        kind="finding",
        title=finding.title,
        authors=[PUBLISHER],
        date=published.date(),
        url=url,
        abstract=finding.summary,
        licence=finding.licence,
        keywords=sorted(tag.name for tag in finding.themes.all()),
    )


def _split(author: str) -> dict:
    family, _sep, given = author.partition(",")
    return {"family": family.strip(), "given": given.strip()} if given else {"literal": author}


def _ascii(text: str) -> str:
    """ "Lefèvre" -> "Lefevre", "Œuvre" -> "OEuvre": letters kept, accents dropped."""
    for letter, plain in LIGATURES.items():
        text = text.replace(letter, plain)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


LIGATURES = {"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "Ø": "O", "ø": "o",
             "Ł": "L", "ł": "l", "Đ": "D", "đ": "d"}  # fmt: skip


def readable(item, url: str = "") -> str:
    """The sentence on the page; `item` is a Citable or a publication (with its url)."""
    if not isinstance(item, Citable):
        item = for_publication(item, url)
    authors = "; ".join(item.authors)
    version = f" (version {item.version})" if item.version else ""
    return (
        f"{authors} ({item.date.year}). {item.title}{version} [{KIND_NAMES[item.kind]}]. "
        f"{PUBLISHER}. {item.url}"
    )


# --- BibTeX ----------------------------------------------------------------------------------

_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
}
_TEX_PATTERN = re.compile("|".join(re.escape(char) for char in _TEX_SPECIALS))


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def bibtex_escape(text: str) -> str:
    r"""Text as TeX prints it back: one pass, so an escape is never escaped again.

    BibTeX counts braces even after a backslash: `\{` keeps a field whole only when the braces
    of the text pair up; otherwise they are written as `\textbraceleft{}`/`\textbraceright{}`.
    """
    text = " ".join(text.split())  # a field is one paragraph; a blank line would end it in TeX
    specials = _TEX_SPECIALS
    if not _balanced(text):
        specials = {**specials, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
    return _TEX_PATTERN.sub(lambda match: specials[match.group(0)], text)


def _bibtex_name(author: str) -> str:
    name = _split(author)
    if "literal" in name:
        return "{" + bibtex_escape(author.strip()) + "}"  # braced: one name, not Family Given
    return f"{bibtex_escape(name['family'])}, {bibtex_escape(name['given'])}"


def citation_key(item: Citable) -> str:
    """An ASCII key, as BibTeX and biber want: family name (or first word), year, title slug."""
    first = item.authors[0] if item.authors else "anon"
    name = _split(first)
    word = name.get("family") or (name["literal"].split() or ["anon"])[0]
    family = re.sub(r"[^a-z0-9]", "", _ascii(word).lower())[:20] or "anon"
    slug = re.sub(r"[^a-z0-9]", "", _ascii(item.key_slug).lower())[:20]
    return f"{family}{item.date.year}{slug}"


def bibtex(item, url: str = "") -> str:
    if not isinstance(item, Citable):
        item = for_publication(item, url)
    fields = [
        ("title", bibtex_escape(item.title)),
        ("author", " and ".join(_bibtex_name(author) for author in item.authors)),
        ("year", str(item.date.year)),
        ("date", item.date.isoformat()),
        ("version", bibtex_escape(item.version)),
        (
            "publisher" if BIBTEX_TYPES[item.kind] == "misc" else "institution",
            bibtex_escape(PUBLISHER),
        ),
        ("url", item.url),  # verbatim: escaping would change the address
        ("abstract", bibtex_escape(item.abstract)),
        ("keywords", bibtex_escape(", ".join(item.keywords))),
        ("note", bibtex_escape(f"Licence: {item.licence}") if item.licence else ""),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{BIBTEX_TYPES[item.kind]}{{{citation_key(item)},\n{body}\n}}\n"


# --- CSL-JSON --------------------------------------------------------------------------------


def csl(item, url: str = "") -> dict:
    """One CSL-JSON item; every key is a variable of the official schema."""
    if not isinstance(item, Citable):
        item = for_publication(item, url)
    date = item.date
    data = {
        "id": item.key_slug,
        "citation-key": citation_key(item),
        "type": CSL_TYPES[item.kind],
        "title": item.title,
        "author": [_split(author) for author in item.authors],
        "issued": {"date-parts": [[date.year, date.month, date.day]]},
        "publisher": PUBLISHER,
        "URL": item.url,
        "language": "fr",
    }
    if item.version:
        data["version"] = item.version
    if item.abstract:
        data["abstract"] = item.abstract
    if item.keywords:
        data["keyword"] = ", ".join(item.keywords)
    if item.kind == "finding":
        data["genre"] = "Research finding"
    if item.licence:
        # The schema has no licence variable: the note carries it, as Zotero writes it.
        data["note"] = f"Licence: {item.licence}" + (
            f" ({item.licence_url})" if item.licence_url else ""
        )
    return data


def csl_json(item, url: str = "") -> str:
    return json.dumps([csl(item, url)], ensure_ascii=False, indent=2)


# --- RIS -------------------------------------------------------------------------------------


def ris(item, url: str = "") -> str:
    """A RIS record: `TAG  - value` lines, CRLF, ending with `ER  - `."""
    if not isinstance(item, Citable):
        item = for_publication(item, url)
    date = item.date
    lines = [("TY", RIS_TYPES[item.kind]), ("TI", item.title)]
    lines += [("AU", author) for author in item.authors]
    lines += [
        ("PY", str(date.year)),
        ("DA", f"{date.year:04d}/{date.month:02d}/{date.day:02d}"),
        ("PB", PUBLISHER),
        ("UR", item.url),
        ("ET", item.version),
        ("AB", item.abstract),
        ("LA", "fr"),
    ]
    lines += [("KW", keyword) for keyword in item.keywords]
    if item.licence:
        lines.append(("N1", f"Licence: {item.licence}"))
    lines.append(("ID", citation_key(item)))
    body = "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines if value)
    return body + "ER  - \r\n"


FORMATS = {"bib": bibtex, "ris": ris, "json": csl_json}
