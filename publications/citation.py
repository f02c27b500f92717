"""How to cite a publication: a readable sentence, BibTeX and CSL-JSON, from the same fields."""

import json
import re

PUBLISHER = "Observatoire des initiatives coopératives"
CSL_TYPES = {"dataset": "dataset", "report": "report", "findings": "report"}
BIBTEX_TYPES = {"dataset": "misc", "report": "techreport", "findings": "techreport"}


def _split(author: str) -> dict:
    family, _sep, given = author.partition(",")
    return {"family": family.strip(), "given": given.strip()} if given else {"literal": author}


def readable(publication, url: str) -> str:
    authors = "; ".join(publication.author_list)
    kind = {"dataset": "Dataset", "report": "Report", "findings": "Findings"}[publication.kind]
    return (
        f"{authors} ({publication.date.year}). {publication.title} "
        f"(version {publication.version}) [{kind}]. {PUBLISHER}. {url}"
    )


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}%&$#_])", r"\\\1", text)


def bibtex(publication, url: str) -> str:
    first = publication.author_list[0] if publication.author_list else "anon"
    family = re.sub(r"[^A-Za-z]", "", _split(first).get("family", first)) or "anon"
    key = f"{family.lower()}{publication.date.year}{publication.slug[:20].replace('-', '')}"
    fields = {
        "title": publication.title,
        "author": " and ".join(publication.author_list),
        "year": str(publication.date.year),
        "version": publication.version,
        "publisher" if publication.kind == "dataset" else "institution": PUBLISHER,
        "url": url,
        "note": publication.get_licence_display(),
    }
    body = ",\n".join(f"  {name} = {{{_bibtex_escape(value)}}}" for name, value in fields.items())
    return f"@{BIBTEX_TYPES[publication.kind]}{{{key},\n{body}\n}}"


def csl(publication, url: str) -> dict:
    date = publication.date
    return {
        "id": publication.slug,
        "type": CSL_TYPES[publication.kind],
        "title": publication.title,
        "author": [_split(author) for author in publication.author_list],
        "issued": {"date-parts": [[date.year, date.month, date.day]]},
        "version": publication.version,
        "publisher": PUBLISHER,
        "URL": url,
        "abstract": publication.abstract,
        "license": publication.licence_url or publication.get_licence_display(),
    }


def csl_json(publication, url: str) -> str:
    return json.dumps([csl(publication, url)], ensure_ascii=False, indent=2)
