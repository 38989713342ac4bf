"""The case-report format (案例报告格式): read, parse, check and export
case reports written in the official template. Pure Python, no Django."""

from xinan_reportformat.charcount import (
    CHAR_LIMIT,
    count_all_chars,
    count_chars,
    count_report_chars,
)
from xinan_reportformat.checks import check_report
from xinan_reportformat.errors import DocumentReadError
from xinan_reportformat.export import to_docx, to_pdf
from xinan_reportformat.model import (
    AUTHOR_SECTIONS,
    SECTION_ORDER,
    TEMPLATE_HEADINGS,
    Footnote,
    Problem,
    Report,
    Section,
    SectionKey,
    Severity,
)
from xinan_reportformat.parsing import parse_text
from xinan_reportformat.reading import DEFAULT_MAX_BYTES, extract_text, parse_document
from xinan_reportformat.subtitle import SubtitleInfo, parse_subtitle

__all__ = [
    "AUTHOR_SECTIONS",
    "CHAR_LIMIT",
    "DEFAULT_MAX_BYTES",
    "SECTION_ORDER",
    "TEMPLATE_HEADINGS",
    "DocumentReadError",
    "Footnote",
    "Problem",
    "Report",
    "Section",
    "SectionKey",
    "Severity",
    "SubtitleInfo",
    "check_report",
    "count_all_chars",
    "count_chars",
    "count_report_chars",
    "extract_text",
    "parse_document",
    "parse_subtitle",
    "parse_text",
    "to_docx",
    "to_pdf",
]
