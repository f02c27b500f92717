"""Documents (PDF, DOCX, ODT): text, page count, a first-page thumbnail for PDF (PDFium)."""

import io
import math
import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from .. import conf
from . import Derived, Output, ProcessingError, Progress, no_progress

MAX_UNZIPPED = 300 * 1024 * 1024  # what a DOCX/ODT may hold once uncompressed
MAX_RATIO = 200  # compression ratio beyond which an archive is a bomb, not a document
MAX_PAGES = 5000
MAX_TEXT_CHARS = 5_000_000
THUMB_SIDE = 480  # longest side of a PDF's first-page thumbnail, in pixels
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile)\b")


def check_archive(path: Path) -> zipfile.ZipFile:
    """Open a zip-based document, refusing a zip bomb before anything is inflated."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ProcessingError(_("The document is damaged (%(error)s).") % {"error": exc}) from None
    total = sum(info.file_size for info in archive.infolist())
    compressed = sum(info.compress_size for info in archive.infolist()) or 1
    if total > MAX_UNZIPPED or total / compressed > MAX_RATIO and total > 10 * 1024 * 1024:
        raise ProcessingError(
            _("The document would expand to %(size)s MB: it looks like a zip bomb.")
            % {"size": total // 2**20}
        )
    return archive


def docx_paragraphs(path: Path) -> list[str]:
    import docx

    check_archive(path).close()
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types for a broken package
        raise ProcessingError(_("The DOCX file is damaged (%(error)s).") % {"error": exc}) from None
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.append(" | ".join(cell.text for cell in row.cells))
    return paragraphs


def _docx_pages(path: Path) -> int | None:
    with check_archive(path) as archive:
        try:
            app = archive.read("docProps/app.xml").decode("utf-8", "replace")
        except KeyError:
            return None
    match = re.search(r"<Pages>(\d+)</Pages>", app)
    return int(match.group(1)) if match else None


def process_docx(path: Path, progress: Progress) -> Output:
    progress(20, _("Reading the DOCX text"))
    text = "\n".join(docx_paragraphs(path))
    return Output(metadata={"format": "docx", "pages": _docx_pages(path)}, text=text)


def process_odt(path: Path, progress: Progress) -> Output:
    from odf import teletype, text
    from odf.namespaces import METANS
    from odf.opendocument import load

    check_archive(path).close()
    progress(20, _("Reading the ODT text"))
    try:
        document = load(str(path))
    except Exception as exc:  # odfpy raises many types for a broken package
        raise ProcessingError(_("The ODT file is damaged (%(error)s).") % {"error": exc}) from None
    lines = [
        teletype.extractText(element)
        for element in document.text.getElementsByType(text.P)
        + document.text.getElementsByType(text.H)
    ]
    pages = None
    for stat in document.meta.childNodes:
        if getattr(stat, "qname", None) == (METANS, "document-statistic"):
            pages = stat.attributes.get((METANS, "page-count"))
    return Output(
        metadata={"format": "odt", "pages": int(pages) if pages else None}, text="\n".join(lines)
    )


def first_page_thumbnail(raw: bytes) -> tuple[bytes, dict]:
    """Page 1 rendered by PDFium, at most THUMB_SIDE pixels on its longest side, as WebP.

    The scale comes from the page's declared size, so the bitmap is bounded whatever the PDF
    claims; the job's time limit covers the rendering. Raises ProcessingError with the reason.
    """
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        raise ProcessingError(
            _("The PDF is damaged (%(error)s).") % {"error": str(exc).rstrip(".")}
        ) from None
    try:
        if len(document) < 1:
            raise ProcessingError(_("The PDF has no page to show."))
        page = document[0]
        width, height = page.get_size()
        if not (width > 0 and height > 0):
            raise ProcessingError(_("The first page of the PDF has no size."))
        scale = THUMB_SIDE / max(width, height)
        pixels = math.ceil(width * scale) * math.ceil(height * scale)
        if pixels > conf.max_image_pixels():  # only with a tiny limit configured; kept explicit
            raise ProcessingError(
                _("The first page would need %(n)s pixels, more than allowed.") % {"n": pixels}
            )
        bitmap = page.render(scale=scale, may_draw_forms=False, fill_color=(255, 255, 255, 255))
        image = bitmap.to_pil().convert("RGB")
    except pdfium.PdfiumError as exc:
        raise ProcessingError(
            _("The first page of the PDF cannot be drawn (%(error)s).")
            % {"error": str(exc).rstrip(".")}
        ) from None
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=80)
    return buffer.getvalue(), {"width": image.width, "height": image.height}


def process_pdf(path: Path, progress: Progress) -> Output:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    raw = Path(path).read_bytes()
    # Active content has no place in a research archive: refuse it instead of storing it.
    if active := PDF_ACTIVE.search(raw):
        raise ProcessingError(
            _("The PDF contains active content (%(what)s); it is not kept.")
            % {"what": active.group(1).decode()}
        )
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ProcessingError(_("The PDF is protected by a password."))
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ProcessingError(_("The PDF is damaged (%(error)s).") % {"error": exc}) from None
    if pages > MAX_PAGES:
        raise ProcessingError(_("The PDF has %(n)s pages, more than we read.") % {"n": pages})
    texts, length = [], 0
    for number, page in enumerate(reader.pages):
        if number % 10 == 0:
            progress(
                10 + int(70 * number / max(pages, 1)), _("Reading page %(n)s") % {"n": number + 1}
            )
        try:
            content = page.extract_text() or ""
        except Exception:  # one unreadable page should not lose the others
            content = ""
        texts.append(content)
        length += len(content)
        if length > MAX_TEXT_CHARS:
            break
    derived = []
    if pages:
        progress(85, _("Making the first-page thumbnail"))
        thumbnail, size = first_page_thumbnail(raw)
        derived.append(Derived("thumb-first-page", thumbnail, "image/webp", metadata=size))
    return Output(
        metadata={"format": "pdf", "pages": pages}, text="\n\f".join(texts), derived=derived
    )


def process(path: Path, progress: Progress = no_progress, context: dict | None = None) -> Output:
    path = Path(path)
    mime = (context or {}).get("mime_type", "")
    if mime == "application/pdf":
        output = process_pdf(path, progress)
    elif mime == "application/vnd.oasis.opendocument.text":
        output = process_odt(path, progress)
    elif mime.endswith("wordprocessingml.document"):
        output = process_docx(path, progress)
    else:
        with open(path, "rb") as handle:
            head = handle.read(4)
        if head == b"%PDF":
            output = process_pdf(path, progress)
        elif head.startswith(b"PK"):
            output = process_docx(path, progress)
        else:
            raise ProcessingError(_("This is not a PDF, DOCX or ODT document."))
    output.text = (output.text or "")[:MAX_TEXT_CHARS]
    output.metadata["characters"] = len(output.text)
    return output
