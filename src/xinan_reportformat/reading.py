"""Reading uploaded bytes safely: the type is told by content, never by the
file name, and every refusal is a ``DocumentReadError`` in Chinese."""

from __future__ import annotations

from xinan_reportformat.docx_reading import read_docx_text
from xinan_reportformat.errors import DocumentReadError
from xinan_reportformat.model import Report
from xinan_reportformat.parsing import parse_text
from xinan_reportformat.pdf_reading import MAX_PAGES, read_pdf_text

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_RTF_MAGIC = b"{\\rtf"
_TEXT_ENCODINGS = ("utf-8-sig", "gb18030")

MSG_EMPTY = "文件是空的，没有任何内容。请检查后重新上传。"
MSG_TOO_LARGE = "文件太大（{size:.1f} MB），超过了 {limit:.0f} MB 的上限。请压缩图片或删除不必要的内容后重新上传。"
MSG_ENCRYPTED_WORD = "这个 Word 文件设置了打开密码（已加密），系统无法读取。请取消密码后另存为 .docx 再上传。"
MSG_LEGACY_DOC = (
    "这是旧版 Word 格式（.doc）或其他旧版 Office 文件，系统只接受 .docx。"
    "请在 Word 中“另存为”Word 文档（*.docx）后再上传。"
)
MSG_RTF = "这是 RTF 格式的文件，系统只接受 .docx、PDF 或纯文本。请在 Word 中另存为 .docx 后再上传。"
MSG_UNKNOWN = "无法识别文件类型。请上传 Word 文档（.docx）、PDF 文件或纯文本（.txt）。"
MSG_BAD_TEXT = "无法识别这个文本文件的编码。请另存为 UTF-8 编码的 .txt 文件，或上传 Word 文档（.docx）。"


def extract_text(
    data: bytes, *, filename: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, max_pages: int = MAX_PAGES
) -> str:
    """Return the plain text of a .docx, a text PDF or a text file.

    ``filename`` is accepted for the caller's convenience but never decides
    the type; the content does. A PDF of more than ``max_pages`` pages is
    refused before its text is laid out. Raises ``DocumentReadError``.
    """
    _check_size(data, max_bytes)
    data = bytes(data)
    kind = detect_kind(data)
    if kind == "pdf":
        return read_pdf_text(data, max_pages=max_pages)
    if kind == "zip":
        return read_docx_text(data)
    if kind == "ole2":
        if _ENCRYPTED_STREAM in data:
            raise DocumentReadError(MSG_ENCRYPTED_WORD, code="docx.encrypted")
        raise DocumentReadError(MSG_LEGACY_DOC, code="doc.legacy")
    if kind == "rtf":
        raise DocumentReadError(MSG_RTF, code="rtf")
    return _decode_text(data)


def parse_document(data: bytes, *, filename: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Read bytes of any accepted type and parse them into a ``Report``."""
    return parse_text(extract_text(data, filename=filename, max_bytes=max_bytes))


def detect_kind(data: bytes) -> str:
    """Tell the file type from its first bytes: pdf, zip, ole2, rtf or text."""
    head = data[:1024]
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(_PDF_MAGIC) or _PDF_MAGIC in head:
        return "pdf"
    if head.startswith(_ZIP_MAGICS):
        return "zip"
    if head.startswith(_OLE2_MAGIC):
        return "ole2"
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(_RTF_MAGIC):
        return "rtf"
    return "text"


def _check_size(data: bytes, max_bytes: int) -> None:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise DocumentReadError(MSG_UNKNOWN)
    if len(data) > max_bytes:
        raise DocumentReadError(
            MSG_TOO_LARGE.format(size=len(data) / 1048576, limit=max_bytes / 1048576), code="file.too_large"
        )
    if len(data) == 0:
        raise DocumentReadError(MSG_EMPTY, code="file.empty")


def _decode_text(data: bytes) -> str:
    raw = bytes(data)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(raw)
    if b"\x00" in raw[:4096]:
        raise DocumentReadError(MSG_UNKNOWN)
    for encoding in _TEXT_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _require_text(text)
    raise DocumentReadError(MSG_BAD_TEXT)


def _decode_utf16(raw: bytes) -> str:
    try:
        return _require_text(raw.decode("utf-16"))
    except UnicodeDecodeError as error:
        raise DocumentReadError(MSG_BAD_TEXT) from error


def _require_text(text: str) -> str:
    if not text.strip():
        raise DocumentReadError(MSG_EMPTY)
    return text
