"""REFI-QDA exchange: a season as a `.qdpx` project or a `.qdc` codebook, and back.

export.py writes what the official schemas (terrain/schemas/refi/) accept; imports.py reads a
whole project into a season, codebook.py a codebook, without doubling what is already there.
Positions count Unicode code points (common.py).
"""

from .codebook import Summary, import_qdc
from .common import CODEBOOK_NS, PROJECT_NS, SCHEMAS, Source, source_text
from .export import export_qdc, export_qdpx
from .imports import import_qdpx

__all__ = [
    "CODEBOOK_NS",
    "PROJECT_NS",
    "SCHEMAS",
    "Source",
    "Summary",
    "export_qdc",
    "export_qdpx",
    "import_qdc",
    "import_qdpx",
    "source_text",
]
