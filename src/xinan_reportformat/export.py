"""Writing a report to Word and PDF, laid out like the official template:
centred bold title, centred subtitle with its dash and footnote mark,
headings numbered 一、二、…, indented body paragraphs, and the footnote
on artistic processing at the bottom."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape as escape_markup

from xinan_reportformat.model import Footnote, Report, Section
from xinan_reportformat.pdf import BoldLines, PdfBuilder, cjk_styles

_CN_NUMERALS = "一二三四五六七八九十"
_BODY_FONT_EAST_ASIA = "宋体"
_HEADING_FONT_EAST_ASIA = "黑体"
_LATIN_FONT = "Times New Roman"
_OFFICIAL_DASH = "——"
# Characters XML 1.0 cannot hold; neither Word nor reportlab's markup accepts them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """Remove characters that cannot be written into a document."""
    return _NOT_XML.sub("", text)


def escape(text: str) -> str:
    return escape_markup(printable(text))


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (up to 99)."""
    tens, units = divmod(number, 10)
    if number <= 10:
        return _CN_NUMERALS[number - 1]
    prefix = "" if tens == 1 else _CN_NUMERALS[tens - 1]
    return prefix + "十" + (_CN_NUMERALS[units - 1] if units else "")


def numbered_headings(report: Report) -> list[tuple[str, Section]]:
    """The headings as printed: "一、当事人基本信息", …"""
    return [(f"{chinese_numeral(n)}、{s.heading}", s) for n, s in enumerate(report.sections, start=1)]


def subtitle_line(report: Report) -> str:
    return f"{report.subtitle_dash or _OFFICIAL_DASH}{report.subtitle}" if report.subtitle else ""


def paragraphs_of(text: str) -> list[str]:
    return [p.strip() for p in text.splitlines() if p.strip()]


def _footnote_lines(report: Report) -> list[str]:
    return [f"{f.marker or '¹'} {f.text}" for f in report.footnotes]


def _footnote_mark(footnotes: list[Footnote]) -> str:
    return (footnotes[0].marker or "¹") if footnotes else ""


# Word -----------------------------------------------------------------------


def to_docx(report: Report) -> bytes:
    """Return the report as a .docx file."""
    import docx

    document = docx.Document()
    _set_default_fonts(document)
    _add_docx_header(document, report)
    for heading, section in numbered_headings(report):
        _add_docx_paragraph(document, heading, bold=True, size=14, east_asia=_HEADING_FONT_EAST_ASIA)
        for paragraph in paragraphs_of(section.text):
            _add_docx_paragraph(document, paragraph, indent=True)
    _add_docx_footnotes(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_default_fonts(document) -> None:
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.name = _LATIN_FONT
    normal.font.size = Pt(12)
    _set_east_asia_font(normal.element, _BODY_FONT_EAST_ASIA)


def _add_docx_header(document, report: Report) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    title = _add_docx_paragraph(document, report.title, bold=True, size=18, east_asia=_HEADING_FONT_EAST_ASIA)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = subtitle_line(report)
    if line:
        subtitle = _add_docx_paragraph(document, line, size=14)
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark = _footnote_mark(report.footnotes)
        if mark:
            _add_run(subtitle, mark, size=14, superscript=True)


def _add_docx_footnotes(document, report: Report) -> None:
    if not report.footnotes:
        return
    _add_docx_paragraph(document, "")
    _add_docx_paragraph(document, "—" * 10, size=9)
    for footnote in report.footnotes:
        paragraph = _add_docx_paragraph(document, "", size=9)
        _add_run(paragraph, footnote.marker or "¹", size=9, superscript=True)
        _add_run(paragraph, f" {footnote.text}", size=9)


def _add_docx_paragraph(
    document,
    text: str,
    *,
    bold=False,
    size=12,
    indent=False,
    east_asia=_BODY_FONT_EAST_ASIA,
):
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        _add_run(paragraph, text, bold=bold, size=size, east_asia=east_asia)
    return paragraph


def _add_run(
    paragraph,
    text: str,
    *,
    bold=False,
    size=12,
    superscript=False,
    east_asia=_BODY_FONT_EAST_ASIA,
):
    from docx.shared import Pt

    run = paragraph.add_run(printable(text))
    run.bold = bold or None
    run.font.size = Pt(size)
    run.font.name = _LATIN_FONT
    run.font.superscript = superscript or None
    _set_east_asia_font(run._element, east_asia)
    return run


def _set_east_asia_font(element, font_name: str) -> None:
    """python-docx sets only the Latin font; Chinese text uses w:eastAsia."""
    from docx.oxml.ns import qn

    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), font_name)


# PDF ------------------------------------------------------------------------


def to_pdf(report: Report, *, watermark: str | None = None) -> bytes:
    """Return the report as a PDF with the Chinese font embedded; the
    watermark, when given, is written as text on every page."""
    from reportlab.platypus import Paragraph, Spacer

    styles = cjk_styles()
    story = [BoldLines(printable(report.title), styles["title"].fontSize, space_after=6)]
    line = subtitle_line(report)
    if line:
        mark = _footnote_mark(report.footnotes)
        story.append(Paragraph(escape(line + mark), styles["subtitle"]))
    for heading, section in numbered_headings(report):
        story.append(BoldLines(printable(heading), styles["heading"].fontSize, centred=False, space_after=4))
        story += [Paragraph(escape(p), styles["body"]) for p in paragraphs_of(section.text)]
    if report.footnotes:
        story.append(Spacer(1, 18))
        story.append(Paragraph("—" * 12, styles["footnote"]))
        story += [Paragraph(escape(text), styles["footnote"]) for text in _footnote_lines(report)]
    return PdfBuilder(title=report.title, watermark=watermark).build(story)
