"""Reading the filed Word and PDF: both must be real, readable, and the same text."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from xinan.campaigns.services.errors import FilingError
from xinan_deid import detect
from xinan_reportformat import DocumentReadError, check_report, count_report_chars, extract_text, parse_text
from xinan_reportformat.compare import SAME_TEXT, text_similarity
from xinan_reportformat.reading import detect_kind

MAX_BYTES = 20 * 1024 * 1024
# A report of 2,000 字 fills three to five pages; thirty is no report, and pdfminer's cost
# grows with the pages it lays out.
MAX_PDF_PAGES = 30
# Characters of extracted text (everything: headings, footnotes, spaces), checked on each file
# as soon as it is read, before the other file is read and before anything is compared.
MIN_MAX_TEXT_CHARS = 30_000
TEXT_CHARS_PER_LIMIT = 15


@dataclass(frozen=True)
class Reading:
    text: str
    report: object
    char_count: int
    problems: list[dict]
    flags: list[dict]


def max_text_chars(char_limit: int) -> int:
    return max(MIN_MAX_TEXT_CHARS, TEXT_CHARS_PER_LIMIT * char_limit)


def read_pair(docx: bytes, pdf: bytes, *, char_limit: int) -> Reading:
    """Each check before the heavier work after it: the kinds by their first bytes, then the
    Word text (bounded), its length, then the PDF text (bounded), its length, then the
    comparison (linear in the lengths), then parsing, checks and de-identification."""
    if detect_kind(docx) in {"pdf", "text"}:  # an old .doc or an RTF gets the reader's own advice below
        raise FilingError(_("请在 Word 一栏上传 .docx 格式的文件。"), code="docx.kind")
    if not pdf[:5] == b"%PDF-":
        raise FilingError(_("请在 PDF 一栏上传 PDF 格式的文件。"), code="pdf.kind")
    limit = max_text_chars(char_limit)
    try:
        docx_text = extract_text(docx, filename="report.docx", max_bytes=MAX_BYTES)
    except DocumentReadError as exc:
        raise FilingError(_("Word 文件：%(m)s") % {"m": exc.message}, code=exc.code) from exc
    _check_length(docx_text, limit, _("Word 文件"))
    try:
        pdf_text = extract_text(pdf, filename="report.pdf", max_bytes=MAX_BYTES, max_pages=MAX_PDF_PAGES)
    except DocumentReadError as exc:
        raise FilingError(_("PDF 文件：%(m)s") % {"m": exc.message}, code=exc.code) from exc
    _check_length(pdf_text, limit, _("PDF 文件"))
    ratio = text_similarity(docx_text, pdf_text)
    if ratio < SAME_TEXT:
        raise FilingError(
            _("Word 与 PDF 的内容不一致（相似度 %(p)s%%），请上传同一份案例报告的两种格式。") % {"p": int(ratio * 100)},
            code="pair.different",
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


def _check_length(text: str, limit: int, which: str) -> None:
    if len(text) > limit:
        raise FilingError(
            _("%(which)s的文字过长（%(n)s 个字符，上限 %(limit)s），不像一篇案例报告，请检查是否上传错了文件。")
            % {"which": which, "n": len(text), "limit": limit},
            code="text.too_long",
        )
