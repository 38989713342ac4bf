"""Reading the filed Word and PDF: both must be real, readable, and the same text."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xinan.campaigns.services.errors import FilingError
from xinan_deid import detect
from xinan_reportformat import DocumentReadError, check_report, count_report_chars, extract_text, parse_text

MAX_BYTES = 20 * 1024 * 1024
SAME_TEXT_RATIO = 0.97
_IGNORED = re.compile(r"[\s\u3000\-—_·•.。,，、:：;；!！?？\"'“”‘’()（）\[\]【】《》<>0-9¹²³⁴⁵⁶⁷⁸⁹⁰]")


@dataclass(frozen=True)
class Reading:
    text: str
    report: object
    char_count: int
    problems: list[dict]
    flags: list[dict]


def _comparable(text: str) -> str:
    """What must be identical in the two files: the characters, not the layout or numbering."""
    return _IGNORED.sub("", text)


def read_pair(docx: bytes, pdf: bytes, *, char_limit: int) -> Reading:
    try:
        docx_text = extract_text(docx, filename="report.docx", max_bytes=MAX_BYTES)
    except DocumentReadError as exc:
        raise FilingError(_("Word 文件：%(m)s") % {"m": exc.message}) from exc
    try:
        pdf_text = extract_text(pdf, filename="report.pdf", max_bytes=MAX_BYTES)
    except DocumentReadError as exc:
        raise FilingError(_("PDF 文件：%(m)s") % {"m": exc.message}) from exc
    if not docx[:4] == b"PK\x03\x04":
        raise FilingError(_("请在 Word 一栏上传 .docx 格式的文件。"))
    if not pdf[:5] == b"%PDF-":
        raise FilingError(_("请在 PDF 一栏上传 PDF 格式的文件。"))
    a, b = _comparable(docx_text), _comparable(pdf_text)
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0
    if ratio < SAME_TEXT_RATIO:
        raise FilingError(
            _("Word 与 PDF 的内容不一致（相似度 %(p)s%%），请上传同一份案例报告的两种格式。") % {"p": int(ratio * 100)}
        )
    report = parse_text(docx_text)
    problems = [
        {"code": p.code, "severity": p.severity, "message": p.message}
        for p in check_report(report, char_limit=char_limit)
    ]
    flags = [
        {
            "kind": str(f.kind),
            "severity": str(f.severity),
            "text": f.text,
            "reason": f.reason,
            "replacement": f.replacement,
        }
        for f in detect(docx_text)
    ]
    return Reading(docx_text, report, count_report_chars(report), problems, flags)
