"""What an uploaded sealed scan is, told from its first bytes, never from its name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from xinan.selection.services.errors import SelectionError
from xinan_reportformat import DocumentReadError
from xinan_reportformat.pdf_safety import inspect_pdf


def detect_seal_kind(data: bytes) -> tuple[str, str]:
    """(content type, extension) of a photo or scanned PDF, or SelectionError in Chinese."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        try:
            inspect_pdf(data)  # the one active-content check every upload path calls
        except DocumentReadError as exc:
            raise SelectionError(
                _("该 PDF 不能作为盖章件：%(m)s 也可以拍照上传。") % {"m": exc.message}, code=exc.code
            ) from exc
        return "application/pdf", "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    raise SelectionError(
        _(
            "盖章件只能是照片（JPG、PNG、WebP）或扫描的 PDF 文件（按文件内容判断，不看扩展名），"
            "请重新拍照或扫描后上传。"
        ),
        code="seal.kind",
    )
