"""Documents (PDF, DOCX, ODT): text, page count, a first-page thumbnail for PDF (PDFium)."""

import io
import math
import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext_noop

from .. import conf
from . import Derived, Output, ProcessingError, Progress, no_progress

MB = 1024 * 1024
# What a DOCX/ODT may hold once uncompressed, in all and per part. Python's zipfile never inflates
# a part past the size the archive declares for it (a lie fails its CRC check), so checking the
# declared sizes bounds what the readers will really get.
MAX_UNZIPPED = 300 * MB
MAX_PART = 100 * MB  # pictures in a report are large but stored compressed already
MAX_XML_PART = 40 * MB  # parsed into a tree in memory: a 1,000-page document.xml is ~20 MB
MAX_RATIO = 100  # a part that inflates more than this (and past SMALL_PART) is a bomb
SMALL_PART = 1 * MB  # below this, a high ratio (a run of spaces, an empty style) is harmless
MAX_PAGES = 5000
MAX_TEXT_CHARS = 5_000_000
THUMB_SIDE = 480  # longest side of a PDF's first-page thumbnail, in pixels
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?)\b")
ACTIVE_NAMES = {b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/EmbeddedFiles"}
# A PDF name written with #xx escapes (`/J#61vaScript` is /JavaScript): rare, so found first and
# decoded one by one. No name character is a delimiter, so each match scans its name once.
NAME_CHAR = rb"[^\x00\t\n\f\r ()<>\[\]{}/%]"
PDF_ESCAPED_NAME = re.compile(rb"/" + NAME_CHAR + rb"*#[0-9A-Fa-f]{2}" + NAME_CHAR + rb"*")
PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm"}


def _bomb(size: int) -> ProcessingError:
    return ProcessingError(
        gettext_noop(
            "The document would expand to %(size)s MB: it looks like a zip bomb, not a document."
        ),
        size=max(1, size // MB),
    )


def check_archive(path: Path) -> zipfile.ZipFile:
    """Open a zip-based document, refusing a zip bomb before anything is inflated.

    Each part is checked on its own (ratio and size) and the parts together: one ratio over the
    whole archive lets an incompressible part hide a part that inflates a thousandfold.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ProcessingError(gettext_noop("The document is damaged."), detail=str(exc)) from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        limit = MAX_XML_PART if info.filename.endswith((".xml", ".rels")) else MAX_PART
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            info.file_size > limit
            or (info.file_size > SMALL_PART and ratio > MAX_RATIO)
            or total > MAX_UNZIPPED
        ):
            archive.close()
            raise _bomb(max(total, info.file_size))
    return archive


def docx_paragraphs(path: Path) -> list[str]:
    import docx

    check_archive(path).close()
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types for a broken package
        raise ProcessingError(gettext_noop("The DOCX file is damaged."), detail=str(exc)) from None
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
    progress(20, gettext_noop("Reading the DOCX text"))
    text = "\n".join(docx_paragraphs(path))
    return Output(metadata={"format": "docx", "pages": _docx_pages(path)}, text=text)


def process_odt(path: Path, progress: Progress) -> Output:
    from odf import teletype, text
    from odf.namespaces import METANS
    from odf.opendocument import load

    check_archive(path).close()
    progress(20, gettext_noop("Reading the ODT text"))
    try:
        document = load(str(path))
    except Exception as exc:  # odfpy raises many types for a broken package
        raise ProcessingError(gettext_noop("The ODT file is damaged."), detail=str(exc)) from None
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
        raise ProcessingError(gettext_noop("The PDF is damaged."), detail=str(exc)) from None
    try:
        if len(document) < 1:
            raise ProcessingError(gettext_noop("The PDF has no page to show."))
        page = document[0]
        width, height = page.get_size()
        if not (width > 0 and height > 0):
            raise ProcessingError(gettext_noop("The first page of the PDF has no size."))
        scale = THUMB_SIDE / max(width, height)
        pixels = math.ceil(width * scale) * math.ceil(height * scale)
        if pixels > conf.max_image_pixels():  # only with a tiny limit configured; kept explicit
            raise ProcessingError(
                gettext_noop("The first page would need %(n)s pixels, more than allowed."), n=pixels
            )
        bitmap = page.render(scale=scale, may_draw_forms=False, fill_color=(255, 255, 255, 255))
        image = bitmap.to_pil().convert("RGB")
    except pdfium.PdfiumError as exc:
        raise ProcessingError(
            gettext_noop("The first page of the PDF cannot be drawn."), detail=str(exc)
        ) from None
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=80)
    return buffer.getvalue(), {"width": image.width, "height": image.height}


def active_content(raw: bytes) -> str | None:
    """The first active-content name in a PDF's bytes, escaped names decoded, or None."""
    if found := PDF_ACTIVE.search(raw):
        return found.group(1).decode()
    for escaped in PDF_ESCAPED_NAME.finditer(raw):
        name = PDF_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), escaped.group(0))
        if name in ACTIVE_NAMES:
            return name[1:].decode()
    return None


def active_structure(reader) -> str | None:
    """Actions and scripts found by walking the document: catalogue, pages and annotations."""
    root = reader.trailer["/Root"].get_object()
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    for key in ("/JavaScript", "/EmbeddedFiles"):
        if key in names:
            return key[1:]
    holders = [root, *(page.get_object() for page in reader.pages)]
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            holders.append(annotation.get_object())
    for holder in holders:
        for key in ("/OpenAction", "/A"):
            action = holder.get(key)
            action = action.get_object() if action is not None else None
            if hasattr(action, "get") and action.get("/S") in ACTIONS:
                return str(action.get("/S"))[1:]
        if "/AA" in holder:
            return "AA"
    return None


def _active(what: str) -> ProcessingError:
    return ProcessingError(
        gettext_noop("The PDF contains active content (%(what)s); it is not kept."),
        what=what,
        discard=True,
    )


def process_pdf(path: Path, progress: Progress) -> Output:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    raw = Path(path).read_bytes()
    # Active content has no place in a research archive: refuse it, and do not keep the file.
    if active := active_content(raw):
        raise _active(active)
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ProcessingError(gettext_noop("The PDF is protected by a password."))
        pages = len(reader.pages)
        # Names inside compressed object streams escape the byte scan; pypdf reads them.
        if active := active_structure(reader):
            raise _active(active)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ProcessingError(gettext_noop("The PDF is damaged."), detail=str(exc)) from None
    if pages > MAX_PAGES:
        raise ProcessingError(gettext_noop("The PDF has %(n)s pages, more than we read."), n=pages)
    texts, length = [], 0
    for number, page in enumerate(reader.pages):
        if number % 10 == 0:
            progress(
                10 + int(70 * number / max(pages, 1)),
                gettext_noop("Reading page %(n)s"),
                n=number + 1,
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
        progress(85, gettext_noop("Making the first-page thumbnail"))
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
            raise ProcessingError(gettext_noop("This is not a PDF, DOCX or ODT document."))
    output.text = (output.text or "")[:MAX_TEXT_CHARS]
    output.metadata["characters"] = len(output.text)
    return output
