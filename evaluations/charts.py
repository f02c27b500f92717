"""What the assessment radars draw, in the reader's language; the tables beside them hold the same
figures. (The reads themselves are in selectors.py, cached where they are shared by languages.)"""

from django.utils.formats import date_format

from observatoire.vocabulary import term


def comparison(table: dict) -> dict:
    """One radar for a grid's table of `selectors.progress`: a dataset per assessment, oldest first,
    over the grid's dimensions (None where a dimension was not scored yet)."""
    rows = table["rows"]
    return {
        "labels": [term(row["label"]) for row in rows],
        "datasets": [
            {
                "label": date_format(assessment.date, "SHORT_DATE_FORMAT"),
                "data": [
                    row["cells"][index]["value"] if row["cells"][index] else None for row in rows
                ],
            }
            for index, assessment in enumerate(table["assessments"])
        ],
        "scale": max((cell["max"] for row in rows for cell in row["cells"] if cell), default=0),
    }


def with_terms(rows: list[dict]) -> list[dict]:
    """The profile radar's rows (cached for every language) with their labels in this one."""
    return [{**row, "label": term(row["label"])} for row in rows]
