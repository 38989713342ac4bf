"""Telling what a file is from its first bytes, never from its name.

A file is accepted only when its content is one of the kinds a dossier holds: a PDF, a real
Word .docx (a zip with ``[Content_Types].xml``, no macros), a JPEG/PNG/WebP/HEIC image,
an MP3/M4A/AMR/WAV recording, or plain text (a WeChat/QQ export). Everything else, and
anything that is dressed up as one of these (a program renamed .pdf, a macro document,
a zip bomb, a PDF with scripts or other active content found by parsing its objects in
``xinan_reportformat.pdf_safety``, the check every upload path calls), is refused with a
reason in Chinese and a reason code for the audit trail.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xinan.dossier.enums import ALLOWED_KINDS, DocumentSlot, FileKind
from xinan.dossier.services.errors import DossierError
from xinan_reportformat import DocumentReadError
from xinan_reportformat.pdf_safety import inspect_pdf


@dataclass(frozen=True)
class Detected:
    kind: FileKind
    content_type: str
    extension: str


DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A .docx has a few dozen parts; a ratio above this is what a zip bomb looks like.
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_RATIO = 100
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows .exe/.dll
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"\xd0\xcf\x11\xe0",  # OLE2: old .doc/.xls, which may carry macros
)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}
_M4A_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"mp41", b"isom", b"3gp4", b"3gp5"}
_XML_DECLARATIONS = ("<!doctype", "<!entity")
MAX_XML_PROLOG = 64 * 1024


def detect(data: bytes) -> Detected:
    """The kind of ``data``, or ``DossierError`` saying why it cannot be accepted."""
    if not data:
        raise DossierError(_("文件是空的，请重新选择文件。"), code="file.empty")
    head = data[:64]
    if head.startswith(b"#!AMR"):
        return Detected(FileKind.AUDIO, "audio/amr", "amr")
    if head.startswith(_EXECUTABLE_MAGIC) or head.startswith(b"#!"):
        raise DossierError(
            _("这是可执行程序或含宏的旧版 Office 文件，不是可以归档的资料，已拒绝。"), code="file.executable"
        )
    if head.startswith(b"PK\x03\x04"):
        _check_docx(data)
        return Detected(FileKind.DOCX, DOCX_TYPE, "docx")
    if _hides_an_archive(data):
        raise DossierError(
            _("文件中藏有压缩包（一个文件同时是两种格式），可能携带恶意内容，已拒绝。"), code="file.polyglot"
        )
    if head.startswith(b"%PDF-"):
        try:
            inspect_pdf(data)  # the one active-content check every upload path calls
        except DocumentReadError as exc:
            raise DossierError(exc.message, code=exc.code) from exc
        return Detected(FileKind.PDF, "application/pdf", "pdf")
    if head.startswith(b"\xff\xd8\xff"):
        return Detected(FileKind.IMAGE, "image/jpeg", "jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Detected(FileKind.IMAGE, "image/png", "png")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Detected(FileKind.IMAGE, "image/webp", "webp")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Detected(FileKind.AUDIO, "audio/wav", "wav")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return Detected(FileKind.IMAGE, "image/heic", "heic")
        if brand in _M4A_BRANDS:
            return Detected(FileKind.AUDIO, "audio/mp4", "m4a")
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] in {0xFB, 0xF3, 0xF2, 0xFA}):
        return Detected(FileKind.AUDIO, "audio/mpeg", "mp3")
    encoding = _text_encoding(data)
    if encoding:
        return Detected(FileKind.TEXT, f"text/plain; charset={encoding}", "txt")
    raise DossierError(
        _(
            "无法识别的文件类型。可以上传：PDF、Word（.docx）、图片（JPEG/PNG/WebP/HEIC）、录音（MP3/M4A/AMR/WAV）或纯文本。"
        ),
        code="file.unknown",
    )


def check_allowed(slot: DocumentSlot | str, detected: Detected) -> None:
    allowed = ALLOWED_KINDS[DocumentSlot(slot)]
    if detected.kind not in allowed:
        names = "、".join(str(kind.label) for kind in FileKind if kind in allowed)
        raise DossierError(
            _("“%(slot)s”不接受%(kind)s。可以上传：%(allowed)s。")
            % {"slot": DocumentSlot(slot).label, "kind": detected.kind.label, "allowed": names}
        )


def _check_docx(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DossierError(_("压缩文件已损坏，无法识别为 Word 文档。"), code="docx.corrupt") from exc
    if len(entries) > MAX_ZIP_ENTRIES:
        raise DossierError(_("文件内含条目过多，疑似压缩炸弹，已拒绝。"), code="docx.bomb")
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > MAX_ZIP_RATIO or total > MAX_ZIP_UNCOMPRESSED:
            raise DossierError(_("文件解压后异常庞大，疑似压缩炸弹，已拒绝。"), code="docx.bomb")
    names = {entry.filename for entry in entries}
    if any(name.lower().endswith("vbaproject.bin") or "vbadata" in name.lower() for name in names):
        raise DossierError(
            _("这是含宏的 Word 文档（.docm），可能携带恶意代码，不能上传。请另存为 .docx 后再上传。"), code="docx.macro"
        )
    if "[Content_Types].xml" not in names:
        raise DossierError(
            _("这是一个压缩包，不是 Word 文档（.docx）。压缩包不能直接归档，请逐个上传其中的文件。"), code="zip.archive"
        )
    try:
        with archive.open("[Content_Types].xml") as handle:
            content_types = handle.read(MAX_CONTENT_TYPES_BYTES + 1)
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError) as exc:
        raise DossierError(_("Word 文档已损坏，无法读取。"), code="docx.corrupt") from exc
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        raise DossierError(
            _("这是含宏的 Word 文档（.docm），可能携带恶意代码，不能上传。请另存为 .docx 后再上传。"), code="docx.macro"
        )
    if DOCX_MAIN not in content_types or "word/document.xml" not in names:
        raise DossierError(_("只接受 Word 文档（.docx）；其他 Office 文件请另存为 PDF 后上传。"), code="docx.not_word")
    for entry in entries:
        if entry.filename.lower().endswith((".xml", ".rels")) and _declares_entities(archive, entry):
            raise DossierError(
                _("Word 文档中含有外部实体声明（DOCTYPE/ENTITY），可能用于窃取服务器文件，已拒绝。"), code="docx.xxe"
            )


def _declares_entities(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """Office never writes a DOCTYPE; one in a part is an XML entity (XXE) attack."""
    try:
        with archive.open(entry) as handle:
            prolog = handle.read(MAX_XML_PROLOG)
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, NotImplementedError) as exc:
        raise DossierError(_("Word 文档已损坏，无法读取。"), code="docx.corrupt") from exc
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        text = prolog.decode(encoding, errors="ignore").lower()
        if any(marker in text for marker in _XML_DECLARATIONS):
            return True
    return False


def _hides_an_archive(data: bytes) -> bool:
    """A PDF, picture or recording that is also a readable zip (a polyglot file): opened as
    the one, unpacked as the other."""
    if b"PK\x05\x06" not in data[-(65536 + 22) :]:
        return False
    try:
        return bool(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return False


def _text_encoding(data: bytes) -> str | None:
    """UTF-8 or (older Windows exports) GB18030 text with no binary bytes; kept as uploaded,
    because a transcript is evidence and its checksum must match the original."""
    if b"\x00" in data:
        return None
    sample = data[: 64 * 1024]
    for encoding in ("utf-8", "gb18030"):
        try:
            decoder = codecs.getincrementaldecoder(encoding)()
            # A cut in the middle of a multi-byte character at the sample's end is not an error.
            text = decoder.decode(sample, final=len(sample) == len(data))
        except UnicodeDecodeError:
            continue
        controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n\f")
        return encoding if controls <= len(text) // 100 else None
    return None
