"""What a file is, from its bytes: a workbook, text in which encoding, or something else (said in words).

Only the first bytes are looked at to tell kinds apart, so the work is bounded whatever the size.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from briefing.importers.report import ACCEPTS, ImporterError

#: How much of a file is looked at to tell what it is.
PROBE_BYTES = 65536
#: A workbook whose parts expand to more than this many times the limit is refused (a "zip bomb").
EXPANSION_FACTOR = 20
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13} | {127})
_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "Export the table itself as CSV; an image of a table cannot be read."),
    (b"\xff\xd8\xff", "a JPEG image", "Export the table itself as CSV; an image of a table cannot be read."),
    (b"GIF8", "a GIF image", "Export the table itself as CSV; an image of a table cannot be read."),
    (b"%PDF-", "a PDF document", "Copy the table out of the PDF into a spreadsheet and save it as CSV (UTF-8)."),
    (b"\x1f\x8b", "a gzip-compressed file", "Decompress it and upload the CSV inside."),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "Unpack it and upload the CSV or .xlsx inside."),
    (b"Rar!\x1a\x07", "a RAR archive", "Unpack it and upload the CSV or .xlsx inside."),
    (b"SQLite format 3\x00", "an SQLite database", "Export the table you need as CSV."),
    (b"\x7fELF", "a program (an ELF executable)", "Upload the data file itself."),
    (b"MZ\x90\x00", "a Windows program", "Upload the data file itself."),
]
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def refuse(label: str, what: str, hint: str) -> ImporterError:
    return ImporterError(f"{label}: this looks like {what}, not a table the kit can read. {ACCEPTS} {hint}".strip())


def _zip_kind(raw: bytes, label: str, max_bytes: int) -> str:
    """'xlsx' for a workbook the kit reads; any other ZIP is refused with what it holds."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImporterError(
            f"{label}: this looks like an Excel workbook or ZIP archive, but it is damaged or incomplete "
            f"(its end is missing: was the download or copy cut off?). Download or save it again. {ACCEPTS}"
        ) from exc
    names = {info.filename for info in infos}
    expanded = sum(info.file_size for info in infos)
    if expanded > EXPANSION_FACTOR * max(max_bytes, 1):
        raise ImporterError(
            f"{label}: its contents expand to {expanded / 1e6:,.0f} MB, far more than a table of its size "
            "can hold; it was not opened. Save the sheet as CSV and upload that."
        )
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype")[:100]:
        raise refuse(label, "an OpenDocument spreadsheet (.ods)", "Save it as .xlsx or as CSV (UTF-8) and upload that.")
    if any(name.startswith("word/") for name in names):
        raise refuse(label, "a Word document", "Put the table in a spreadsheet and save it as CSV (UTF-8).")
    if any(name.startswith("ppt/") for name in names):
        raise refuse(label, "a PowerPoint presentation", "Put the table in a spreadsheet and save it as CSV.")
    if "Index/Document.iwa" in names:
        raise refuse(label, "an Apple Numbers file", "Export it as CSV or Excel (File > Export To).")
    inside = ", ".join(sorted(names)[:5]) + (", …" if len(names) > 5 else "")
    raise refuse(label, f"a ZIP archive holding {len(names)} file(s) ({inside or 'nothing'})", "Unzip it first.")


def _ole2_kind(raw: bytes, label: str) -> ImporterError:
    if "EncryptedPackage".encode("utf-16-le") in raw[: 4 * PROBE_BYTES]:
        return refuse(label, "a password-protected workbook", "Save a copy without the password, as .xlsx or CSV.")
    return refuse(
        label,
        "an old Excel 97-2003 workbook (.xls) or another older Office file",
        "Open it in a spreadsheet and save it as .xlsx or as CSV (UTF-8).",
    )


def identify(raw: bytes, label: str, max_bytes: int) -> str:
    """'xlsx' or 'text'; anything else raises :class:`ImporterError` saying what the file looks like."""
    if raw.startswith(_ZIP):
        return _zip_kind(raw, label, max_bytes)
    if raw.startswith(_OLE2):
        raise _ole2_kind(raw, label)
    for magic, what, hint in _MAGIC:
        if raw.startswith(magic):
            raise refuse(label, what, hint)
    return "text"


def looks_binary(raw: bytes) -> bool:
    """More than 3 in 100 of the first bytes are control bytes (text has almost none)."""
    probe = raw[:PROBE_BYTES]
    return bool(probe) and len(probe) - len(probe.translate(None, _CONTROL_BYTES)) > 0.03 * len(probe)


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NUL bytes fill every other place (ASCII-range UTF-16)."""
    probe = raw[:4096]
    if len(probe) < 4:
        return None
    even, odd = probe[0::2], probe[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _utf16_by_decoding(raw: bytes) -> str | None:
    """'utf-16-le' or '-be' when the start decodes as such into lines of delimited text without control codes."""
    probe = raw[: min(len(raw), PROBE_BYTES) // 2 * 2]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = probe.decode(codec)
        except UnicodeDecodeError:
            text = probe[:-2].decode(codec, errors="ignore") if len(probe) < len(raw) else ""
            if not text or "\ufffd" in text:
                continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r")
        breaks = text.count("\n") + text.count("\r")
        header = re.split("[\r\n]", text, maxsplit=1)[0]
        # A table has a line break every few hundred characters and a delimiter in its header;
        # random bytes read as UTF-16 have neither (a line break is 1 unit in 65,536).
        if breaks >= max(1, len(text) // 1000) and re.search("[,;\t|]", header) and controls <= len(text) // 200:
            return codec
    return None


@dataclass
class Decoded:
    """A file's text, how it was read, and what a reader should know about that."""

    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)
    #: True when the file is UTF-8 but some bytes are not: those are held as surrogate escapes and
    #: each cell holding them is read as Windows-1252 (and flagged) after the rows are split.
    mixed: bool = False


_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
]


def _wide(raw: bytes, codec: str, name: str, notes: list[str]) -> Decoded:
    """UTF-16 or UTF-32 text; a cut-off last character is dropped and said."""
    unit = 4 if codec.startswith("utf-32") else 2
    if len(raw) % unit:
        raw = raw[: len(raw) - len(raw) % unit]
        notes.append(f"The file ends in the middle of a {name} character: it looks truncated.")
    text = raw.decode(codec, errors="replace")
    if "\ufffd" in text:
        notes.append(f"Some bytes are not valid {name}; they show as \ufffd.")
    return Decoded(text.lstrip("\ufeff"), name, notes)


def decode(raw: bytes, label: str) -> Decoded:
    """The text of ``raw``, its encoding detected (BOM, UTF-16 without BOM, UTF-8, Windows-1252)."""
    for bom, codec, name in _BOMS:
        if raw.startswith(bom) and codec != "utf-8-sig":
            return _wide(raw, codec, name, [])
    wide = _utf16_without_bom(raw)
    if wide:
        return _wide(raw, wide, "UTF-16", ["The file is UTF-16 without a byte-order mark; read as UTF-16."])
    whole, padding = raw, len(raw) - len(raw.rstrip(b"\x00"))
    notes = []
    if padding:  # a copy or download that stopped: the space was reserved, the bytes never came
        raw = raw[:-padding]
        notes.append(
            f"The file ends in {padding:,} NUL bytes (zeros), which were left out: it looks like an incomplete copy or download."
        )
    if looks_binary(raw):
        wide = _utf16_by_decoding(whole)
        if wide:  # text in a script with few ASCII letters (Chinese, say) has few NUL bytes to go by
            return _wide(whole, wide, "UTF-16", ["The file is UTF-16 without a byte-order mark; read as UTF-16."])
        raise refuse(
            label,
            "a binary file, not text (many of its bytes are control codes)",
            "It may be another kind of file, or damaged.",
        )
    body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        return Decoded(body.decode("utf-8"), "UTF-8", notes)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    escaped = body.decode("utf-8", errors="surrogateescape")
    if re.search("[^\x00-\x7f\udc80-\udcff]", escaped):  # real UTF-8 letters beside bytes that are not
        line = body.count(b"\n", 0, first_bad) + 1
        note = (
            f"The file's encoding changes: it is UTF-8, but from line {line} some bytes are not; the cells "
            "holding them were read as Windows-1252 and are flagged. Check them, or save the file as CSV (UTF-8)."
        )
        return Decoded(escaped, "UTF-8 and Windows-1252 (mixed)", notes + [note], mixed=True)
    note = (
        "The file is not UTF-8; it was read as Windows-1252 (Western European, which includes Latin-1). "
        "If letters look wrong, save it as CSV (UTF-8) and upload that."
    )
    return Decoded(body.decode("cp1252", errors="replace"), "Windows-1252", notes + [note])


def mend_mixed(text: str) -> str:
    """A cell read with surrogate escapes (bytes that were not UTF-8) read as Windows-1252 instead."""
    return text.encode("utf-8", errors="surrogateescape").decode("cp1252", errors="replace")


def text_kind(text: str, label: str) -> None:
    """Refuse text that is a web page, XML, JSON or RTF rather than a table, saying which."""
    start = text[:2048].lstrip("\ufeff \t\r\n").lower()
    if start.startswith(("<!doctype html", "<html", "<head", "<body")):
        raise refuse(
            label,
            "a web page (HTML)",
            "The download may have saved the page instead of the data: use the site's CSV or Excel export.",
        )
    if start.startswith("<?xml") or start.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in text[:PROBE_BYTES]:
            raise refuse(label, "an Excel 2003 XML spreadsheet", "Save it as .xlsx or as CSV (UTF-8).")
        raise refuse(label, "XML data", "Export the table as CSV.")
    if start.startswith("{\\rtf"):
        raise refuse(label, "a Rich Text (RTF) document", "Put the table in a spreadsheet and save it as CSV.")
    if re.match(r"\{\s*\"|\[\s*[\[{]", start):
        raise refuse(label, "JSON data", "Convert it to CSV (one row per record, one column per field).")


def claimed_kind(label: str) -> str | None:
    """What the file's name says it is ('excel', 'csv' or None)."""
    suffix = PurePath(label).suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return "excel"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    return None
