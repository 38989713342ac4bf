"""Reading the text of a .docx, after checking the zip container is safe.

Everything that can be checked from the zip directory is checked before a
single byte is decompressed: entry count, total uncompressed size,
compression ratio, encryption, macros. Every XML part is then read with a
bounded read and refused when it declares a DTD or an entity; nothing is
ever resolved.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from lxml import etree

from xinan_reportformat.errors import DocumentReadError

MAX_UNCOMPRESSED_BYTES = 30 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Tiny, repetitive XML parts compress very well; judge the ratio of an entry
# on its own only when it is big enough to matter.
_RATIO_ENTRY_FLOOR = 1024 * 1024
MAX_ENTRIES = 2000

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_MACRO_CONTENT = re.compile(rb"macroEnabled|vbaProject|vbaData", re.IGNORECASE)

MSG_CORRUPT = "Word 文件已损坏或不完整，无法打开。请在 Word 中重新打开并另存为 .docx 后再上传。"
MSG_NOT_WORD = "这个文件不是 Word 文档（.docx）。请上传 Word 文档、PDF 文件或纯文本。"
MSG_BOMB = "文件解压后过大或压缩比例异常，疑似恶意构造的文件，系统拒绝读取。请上传正常保存的 Word 文档。"
MSG_ENCRYPTED = "这个 Word 文件已加密，系统无法读取。请取消密码后另存为 .docx 再上传。"
MSG_MACRO = "文件中含有宏（VBA，如 .docm 文件），出于安全原因系统不接受。请另存为不含宏的 Word 文档（*.docx）后再上传。"
MSG_DTD = (
    "Word 文件中含有文档类型声明或外部实体（DTD/XXE），出于安全原因系统拒绝读取。"
    "请在 Word 中另存为新的 .docx 后再上传。"
)
MSG_NO_TEXT = "Word 文件中没有可读取的文字。"


def read_docx_text(data: bytes) -> str:
    """Return the text of a .docx: one paragraph a line, footnotes last."""
    archive = _open_zip(data)
    with archive:
        _check_directory(archive)
        _check_parts(archive)
        footnotes = _read_footnotes(archive)
    text = "\n".join(_document_lines(data) + footnotes)
    if not text.strip():
        raise DocumentReadError(MSG_NO_TEXT, code="docx.no_text")
    return text


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
    ) as error:
        raise DocumentReadError(MSG_CORRUPT, code="docx.corrupt") from error


def _check_directory(archive: zipfile.ZipFile) -> None:
    """Refuse bombs, encryption and macros from the directory alone."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise DocumentReadError(MSG_BOMB, code="docx.bomb")
    total = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries)
    if total > MAX_UNCOMPRESSED_BYTES or total > MAX_COMPRESSION_RATIO * max(packed, 1):
        raise DocumentReadError(MSG_BOMB, code="docx.bomb")
    for entry in entries:
        _check_entry(entry)
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names:
        raise DocumentReadError(MSG_CORRUPT, code="docx.corrupt")
    if "word/document.xml" not in names:
        raise DocumentReadError(MSG_NOT_WORD, code="docx.not_word")


def _check_entry(entry: zipfile.ZipInfo) -> None:
    if entry.file_size > _RATIO_ENTRY_FLOOR and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1):
        raise DocumentReadError(MSG_BOMB, code="docx.bomb")
    if entry.flag_bits & 0x1:
        raise DocumentReadError(MSG_ENCRYPTED, code="docx.encrypted")
    if entry.filename.lower().endswith(("vbaproject.bin", "vbadata.xml")):
        raise DocumentReadError(MSG_MACRO, code="docx.macro")


def _check_parts(archive: zipfile.ZipFile) -> None:
    """Refuse DTDs, entities and macro content types in every XML part."""
    for entry in archive.infolist():
        if not entry.filename.lower().endswith((".xml", ".rels")):
            continue
        content = _read_entry(archive, entry)
        if _DTD.search(_as_utf8(content)):
            raise DocumentReadError(MSG_DTD, code="docx.dtd")
        if entry.filename == "[Content_Types].xml" and _MACRO_CONTENT.search(content):
            raise DocumentReadError(MSG_MACRO, code="docx.macro")


def _read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    """Read one entry, never more than the directory promised."""
    try:
        with archive.open(entry) as stream:
            content = stream.read(MAX_UNCOMPRESSED_BYTES + 1)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        RuntimeError,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
        zlib.error,  # a damaged deflate stream
    ) as error:
        raise DocumentReadError(MSG_CORRUPT, code="docx.corrupt") from error
    if len(content) > MAX_UNCOMPRESSED_BYTES:
        raise DocumentReadError(MSG_BOMB, code="docx.bomb")
    return content


def _as_utf8(content: bytes) -> bytes:
    """XML parts may be UTF-16; look at them as UTF-8 to find a DTD."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace").encode("utf-8")
    return content


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _read_footnotes(archive: zipfile.ZipFile) -> list[str]:
    try:
        entry = archive.getinfo("word/footnotes.xml")
    except KeyError:
        return []
    root = _parse_xml(_read_entry(archive, entry))
    lines = []
    for note in _real_footnotes(root):
        text = "".join(note.itertext()).strip()
        if text:
            lines.append(f"{_superscript(note.get(f'{{{_W}}}id'))} {text}")
    return lines


def _real_footnotes(root: etree._Element) -> list[etree._Element]:
    notes = root.findall(f"{{{_W}}}footnote")
    return [n for n in notes if n.get(f"{{{_W}}}type") in (None, "normal")]


def _parse_xml(content: bytes) -> etree._Element:
    try:
        return etree.fromstring(content, parser=_safe_parser())
    except etree.XMLSyntaxError as error:
        raise DocumentReadError(MSG_CORRUPT, code="docx.corrupt") from error


def _document_lines(data: bytes) -> list[str]:
    """Paragraphs and table cells in reading order."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines += _table_lines(block)
            else:
                lines.append(_paragraph_text(block))
        return lines
    except DocumentReadError:
        raise
    except Exception as error:  # any failure of a third-party parser on hostile input is a refusal
        raise DocumentReadError(MSG_CORRUPT, code="docx.corrupt") from error


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells = [" ".join(_paragraph_text(p) for p in cell.paragraphs).strip() for cell in row.cells]
        lines.append("  ".join(c for c in cells if c))
    return lines


def _paragraph_text(paragraph) -> str:
    """The paragraph's text, with superscript digits and footnote
    references written as ¹²³ so footnote marks survive."""
    from docx.text.run import Run

    pieces = []
    for element in paragraph._p.iter(f"{{{_W}}}r"):
        reference = element.find(f"{{{_W}}}footnoteReference")
        if reference is not None:
            pieces.append(_superscript(reference.get(f"{{{_W}}}id")))
            continue
        run = Run(element, paragraph)
        text = run.text
        if run.font.superscript and text.strip().isdigit():
            text = text.strip().translate(_SUPERSCRIPT)
        pieces.append(text)
    return "".join(pieces)


def _superscript(number: str | None) -> str:
    digits = (number or "").strip()
    return digits.translate(_SUPERSCRIPT) if digits.isdigit() else "*"
