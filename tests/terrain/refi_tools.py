"""Third-party checks of our REFI-QDA files: the official XSDs (lxml) and pyrefiqda's reader.

Nothing here re-reads our output with our own code: lxml validates against the REFI consortium's
schemas shipped in terrain/schemas/refi/, and pyrefiqda (Pydantic models generated from those
schemas with xsdata) loads the `.qdpx` as any Python user of the standard would.
"""

import io
import zipfile
from functools import cache

from lxml import etree
from pyrefiqda.models import CodeBook
from pyrefiqda.refiproject import RefiProject
from xsdata_pydantic.bindings import XmlParser

from terrain.refi import SCHEMAS


@cache
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def assert_valid(xml: bytes, name: str) -> None:
    schema = _schema(name)
    if not schema.validate(etree.fromstring(xml)):
        raise AssertionError(f"{name} rejects the document:\n{schema.error_log}")


def project_xml(qdpx: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(qdpx)).read("project.qde")


def read_qdpx(qdpx: bytes, tmp_path):
    """pyrefiqda's Project model of the archive, and the folder it was extracted to."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "export.qdpx"
    path.write_bytes(qdpx)
    folder = tmp_path / "extracted"
    return RefiProject.load(path, extract_dir=str(folder)), folder


def source_file(folder, internal_path: str) -> str:
    """A source's text as any reader gets it: the UTF-8 file decoded to code points."""
    return RefiProject.resolve_source_path(internal_path, folder).read_text(encoding="utf-8")


def read_qdc(qdc: bytes) -> CodeBook:
    return XmlParser().from_bytes(qdc, CodeBook)
