"""Read an import file as numbered rows of named columns, whatever its format.

`open_table(handle, name)` sniffs the format (XLSX by its zip signature, JSON by its first
character, else CSV) and returns a Table: its `columns` and `rows()`, which yields
`(line, {column: text})` where `line` is what the person sees in their spreadsheet or editor
(the header is line 1; a GeoJSON feature or a GoGoCarto element is numbered from 1). Empty rows
are skipped, their lines still counted. CSV and XLSX are streamed; a JSON file is read whole
(the upload's size limit bounds it).
"""

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import charset_normalizer
from django.utils.translation import gettext as _

SAMPLE = 256 * 1024
DELIMITERS = ";,\t|"
# What French spreadsheets save as "CSV": charset-normalizer ranks its neighbours (cp1250...)
# as likely for French text, where they would turn "é" into the wrong letters.
WESTERN = "cp1252"
SINGLE_BYTE_LATIN = ("cp125", "iso8859", "latin", "cp850", "cp437", "mac_", "hp_roman", "cp775")


class UnreadableFile(Exception):
    """The file cannot be read as a table: the message is a sentence for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    format: str
    columns: list[str]
    _rows: object = field(repr=False, default=None)
    encoding: str = ""
    delimiter: str = ""

    def rows(self) -> Iterator[tuple[int, dict]]:
        return self._rows()


def open_table(handle, name: str = "") -> Table:
    """`handle` is a binary file open for reading, seekable (an upload, a stored file)."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if not head:
        raise UnreadableFile(_("The file is empty."))
    first = head.lstrip(codecs.BOM_UTF8).lstrip()[:1]
    reader = _xlsx if head.startswith(b"PK\x03\x04") else _json if first in (b"{", b"[") else _csv
    try:
        return reader(handle)
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged file surprises its parser (deep JSON too): say so
        raise UnreadableFile(
            _("The file cannot be read (%(error)s).") % {"error": type(exc).__name__}
        ) from exc


# --- CSV -----------------------------------------------------------------------------------


def detect_encoding(sample: bytes) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if sample.startswith(bom):
            return encoding
    try:
        # The sample may end inside a character: up to 3 bytes of it are forgiven.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(sample).best()
    if best is None or best.encoding.startswith(SINGLE_BYTE_LATIN):
        try:
            sample.decode(WESTERN)
            return WESTERN
        except UnicodeDecodeError:
            pass
    if best is None:
        raise UnreadableFile(_("The file is not text: is it really a CSV file?"))
    return best.encoding


def _delimiter(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()][:20]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = lines[0] if lines else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _csv(handle) -> Table:
    sample = handle.read(SAMPLE)
    handle.seek(0)
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile(_("The file is not text: is it really a CSV file?"))
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="replace").lstrip("\ufeff")
    delimiter = _delimiter(text)

    def reader():
        stream = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")
        try:
            handle.seek(0)
            yield from csv.reader(stream, delimiter=delimiter)
        finally:
            stream.detach()  # the handle stays open for its owner

    header, line = None, 0
    records = reader()
    try:
        for record in records:
            line += 1
            if any(cell.strip() for cell in record):
                header = record
                break
    except csv.Error as exc:
        raise UnreadableFile(
            _("The file is not a readable CSV file (%(error)s).") % {"error": exc}
        ) from exc
    finally:
        records.close()
    if header is None:
        raise UnreadableFile(_("The file is empty."))
    columns = _names(header)

    def rows():
        stream = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")
        handle.seek(0)
        try:
            parsed = csv.reader(stream, delimiter=delimiter)
            end = 0
            for number, record in enumerate(parsed):
                start, end = end + 1, parsed.line_num
                if number < line or not any(cell.strip() for cell in record):
                    continue
                yield start, _row(columns, record)
        except csv.Error as exc:
            raise UnreadableFile(
                _("Line %(line)s cannot be read (%(error)s).") % {"line": end + 1, "error": exc}
            ) from exc
        finally:
            stream.detach()

    return Table("csv", columns, rows, encoding=encoding, delimiter=delimiter)


def _names(header) -> list[str]:
    """Column names as written, blanks named by position and repeats numbered."""
    names, seen = [], set()
    for position, cell in enumerate(header, start=1):
        name = " ".join(str(cell if cell is not None else "").split()).lstrip("\ufeff")
        name = name or _("column %(number)s") % {"number": position}
        unique, n = name, 1
        while unique in seen:
            n += 1
            unique = f"{name} ({n})"
        seen.add(unique)
        names.append(unique)
    return names


def _row(columns, record) -> dict:
    return {name: _text(record[i]) if i < len(record) else "" for i, name in enumerate(columns)}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


# --- XLSX ----------------------------------------------------------------------------------


def _xlsx(handle) -> Table:
    import openpyxl

    def sheet():
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise UnreadableFile(
                _("The file is not a readable spreadsheet (.xlsx): %(error)s") % {"error": exc}
            ) from exc
        return book, book.worksheets[0]

    book, first = sheet()
    header, header_line = None, 0
    for number, values in enumerate(first.iter_rows(values_only=True), start=1):
        if any(_text(v) for v in values):
            header, header_line = values, number
            break
    book.close()
    if header is None:
        raise UnreadableFile(_("The file is empty."))
    columns = _names(header)

    def rows():
        book, sheet_ = sheet()
        try:
            for number, values in enumerate(sheet_.iter_rows(values_only=True), start=1):
                if number > header_line and any(_text(v) for v in values):
                    yield number, _row(columns, values)
        finally:
            book.close()

    return Table("xlsx", columns, rows)


# --- JSON: GeoJSON and GoGoCarto -----------------------------------------------------------


def _json(handle) -> Table:
    handle.seek(0)
    stream = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="strict")
    try:
        data = json.load(stream)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnreadableFile(_("The file is not valid JSON (%(error)s).") % {"error": exc}) from exc
    finally:
        stream.detach()  # the handle stays open for its owner
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return _records("geojson", [_feature(f) for f in data.get("features") or []])
    # GoGoCarto's API and export: {"licence", "ontology": "gogofull", "data": [elements]}.
    elements = data.get("data") if isinstance(data, dict) else data
    if (
        isinstance(elements, list)
        and all(isinstance(e, dict) for e in elements)
        and any("geo" in e or "address" in e for e in elements)
    ):
        return _records("gogocarto", [_element(e) for e in elements])
    raise UnreadableFile(
        _("This JSON file is neither GeoJSON (a FeatureCollection) nor a GoGoCarto export.")
    )


def _flatten(value, prefix="", into=None) -> dict:
    into = {} if into is None else into
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), into)
    elif isinstance(value, list):
        names = [_flatten_item(item) for item in value]
        into[prefix] = "; ".join(name for name in names if name)
    else:
        into[prefix] = _text(value)
    return into


def _flatten_item(item) -> str:
    if isinstance(item, dict):
        return _text(item.get("name") or item.get("label") or "")
    return _text(item)


def _feature(feature) -> dict:
    if not isinstance(feature, dict):
        return {}
    row = _flatten(feature.get("properties") or {})
    geometry = feature.get("geometry") or {}
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if geometry.get("type") == "Point" and isinstance(coordinates, list) and len(coordinates) >= 2:
        row.setdefault("longitude", _text(coordinates[0]))
        row.setdefault("latitude", _text(coordinates[1]))
    if "id" in feature and "id" not in row:
        row["id"] = _text(feature["id"])
    return row


def _element(element) -> dict:
    row = _flatten(element)
    # GoGoCarto writes "private" where the e-mail is hidden from the public.
    for key in ("email", "telephone"):
        if row.get(key, "").lower() == "private":
            row[key] = ""
    return row


def _records(format_: str, records: list[dict]) -> Table:
    columns = []
    seen = set()
    for record in records:
        for key in record:
            if key not in seen:
                seen.add(key)
                columns.append(key)
    if not columns:
        raise UnreadableFile(_("The file holds no entry."))

    def rows():
        for number, record in enumerate(records, start=1):
            if any(record.values()):
                yield number, {name: record.get(name, "") for name in columns}

    return Table(format_, columns, rows)
