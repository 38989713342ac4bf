"""What an uploaded sealed scan is, told from its first bytes, never from its name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from xinan.selection.services.errors import SelectionError

_PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/Launch", b"/EmbeddedFile")


def detect_seal_kind(data: bytes) -> tuple[str, str]:
    """(content type, extension) of a photo or scanned PDF, or SelectionError in Chinese."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        if any(marker in data for marker in _PDF_ACTIVE_CONTENT):
            raise SelectionError(_("该 PDF 含有脚本或嵌入文件，不能作为盖章件。请重新扫描为 PDF 或拍照上传。"))
        return "application/pdf", "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    raise SelectionError(
        _("盖章件只能是照片（JPG、PNG、WebP）或扫描的 PDF 文件（按文件内容判断，不看扩展名），请重新拍照或扫描后上传。")
    )
