"""The anthology (案例集) of a campaign's selected cases: one Word and one PDF with a cover, a
table of contents (with page numbers in the PDF) and every report in the template's layout,
each followed by its expert commentary. Generated on demand, stored encrypted, audited."""

from __future__ import annotations

import io
import time
import zoneinfo
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph, Spacer
from reportlab.platypus.tableofcontents import TableOfContents

from xinan.audit.services.record import record
from xinan.crypto.files import ChecksumMismatch, read_encrypted, store_encrypted
from xinan.selection.models import Anthology
from xinan.selection.services.errors import SelectionError
from xinan.selection.services.queries import selected_for_anthology
from xinan_reportformat import DocumentReadError, Report, parse_document
from xinan_reportformat.export import (
    chinese_numeral,
    escape,
    numbered_headings,
    paragraphs_of,
    printable,
    subtitle_line,
)
from xinan_reportformat.pdf import cjk_styles, draw_page_number, register_cjk_font

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
STORAGE_FOLDER = "selection"
COMMENTARY_HEADING = "专家点评"
_BODY_FONT = "宋体"
_HEADING_FONT = "黑体"
_LATIN_FONT = "Times New Roman"


@dataclass(frozen=True)
class Entry:
    report: Report
    commentary: str
    school: str


def _entries(campaign) -> list[Entry]:
    entries = []
    for submission in selected_for_anthology(campaign):
        try:
            data = read_encrypted(submission.docx_name, sha256=submission.docx_sha256)
            report = parse_document(data, filename="report.docx")
        except (ChecksumMismatch, DocumentReadError, OSError) as exc:
            raise SelectionError(
                _("案例“%(t)s”的 Word 文件无法读取，案例集未生成。") % {"t": submission.title}
            ) from exc
        commentary = getattr(submission, "commentary", None)
        entries.append(
            Entry(report=report, commentary=commentary.text if commentary else "", school=submission.school.name)
        )
    return entries


def _year(campaign) -> int:
    return campaign.opens_at.astimezone(CHINA).year


def anthology_title(campaign) -> str:
    name = campaign.title.strip()
    for ending in ("征集活动", "征集"):
        if name.endswith(ending):
            name = name[: -len(ending)]
            break
    return _("%(name)s典型案例集") % {"name": name}


def commentary_heading(report: Report) -> str:
    """Numbered after the report's own sections, as in the notice's sample ("六、专家点评")."""
    return f"{chinese_numeral(len(report.sections) + 1)}、{COMMENTARY_HEADING}"


def _footnote_lines(report: Report) -> list[str]:
    return [f"{f.marker or '¹'} {f.text}" for f in report.footnotes]


def _footnote_mark(report: Report) -> str:
    return (report.footnotes[0].marker or "¹") if report.footnotes else ""


# PDF ------------------------------------------------------------------------------


class _TocTitle(Paragraph):
    """A report's title: it enters the table of contents with the page it lands on."""

    def __init__(self, text: str, style, *, key: str):
        super().__init__(escape(text), style)
        self.toc_text = printable(text)
        self.toc_key = key


class _AnthologyTemplate(BaseDocTemplate):
    def __init__(self, buffer, **kwargs):
        super().__init__(buffer, pagesize=A4, **kwargs)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    @staticmethod
    def _decorate(canvas, document) -> None:
        if canvas.getPageNumber() > 1:  # no number on the cover
            canvas.saveState()
            draw_page_number(canvas, canvas.getPageNumber())
            canvas.restoreState()

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, _TocTitle):
            self.canv.bookmarkPage(flowable.toc_key)
            self.notify("TOCEntry", (0, flowable.toc_text, self.page, flowable.toc_key))


def build_anthology_pdf(campaign, entries: list[Entry], *, generated_at) -> bytes:
    font = register_cjk_font()
    styles = cjk_styles()
    cover_title = ParagraphStyle("cover-title", parent=styles["title"], fontSize=26, leading=40)
    cover_line = ParagraphStyle("cover-line", parent=styles["subtitle"], fontSize=16, leading=28)
    toc_heading = ParagraphStyle("toc-heading", parent=styles["title"], spaceAfter=12)
    toc = TableOfContents()
    toc.dotsMinLevel = 0
    toc.levelStyles = [
        ParagraphStyle("toc-0", fontName=font, fontSize=12, leading=20, wordWrap="CJK", leftIndent=0, firstLineIndent=0)
    ]
    story = [
        Spacer(1, 6 * cm),
        Paragraph(escape(anthology_title(campaign)), cover_title),
        Spacer(1, 1.5 * cm),
        Paragraph(escape(_("%(y)s年") % {"y": _year(campaign)}), cover_line),
        Paragraph(escape(_("（供心理危机干预工作队伍培训交流使用）")), cover_line),
        Spacer(1, 6 * cm),
        Paragraph(escape(_("编印日期：%(d)s") % {"d": _chinese_date(generated_at)}), cover_line),
        PageBreak(),
        Paragraph(escape(_("目录")), toc_heading),
        toc,
    ]
    for number, entry in enumerate(entries, start=1):
        report = entry.report
        story.append(PageBreak())
        story.append(_TocTitle(report.title, styles["title"], key=f"report-{number}"))
        line = subtitle_line(report)
        if line:
            story.append(Paragraph(escape(line + _footnote_mark(report)), styles["subtitle"]))
        for heading, section in numbered_headings(report):
            story.append(Paragraph(escape(heading), styles["heading"]))
            story += [Paragraph(escape(p), styles["body"]) for p in paragraphs_of(section.text)]
        if entry.commentary:
            story.append(Paragraph(escape(commentary_heading(report)), styles["heading"]))
            story += [Paragraph(escape(p), styles["body"]) for p in paragraphs_of(entry.commentary)]
        if report.footnotes:
            story.append(Spacer(1, 14))
            story.append(Paragraph("—" * 12, styles["footnote"]))
            story += [Paragraph(escape(text), styles["footnote"]) for text in _footnote_lines(report)]
    buffer = io.BytesIO()
    document = _AnthologyTemplate(
        buffer,
        leftMargin=3.18 * cm,
        rightMargin=3.18 * cm,
        topMargin=2.54 * cm,
        bottomMargin=2.54 * cm,
        title=anthology_title(campaign),
        author="",
        creator="XinAn",
    )
    document.multiBuild(story)
    return buffer.getvalue()


def _chinese_date(moment) -> str:
    local = moment.astimezone(CHINA)
    return f"{local.year}年{local.month}月{local.day}日"


# Word -----------------------------------------------------------------------------


def _east_asia(element, font_name: str) -> None:
    """python-docx sets only the Latin font; Chinese text needs w:eastAsia."""
    from docx.oxml.ns import qn

    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), font_name)


def _paragraph(document, text: str, *, size=12, bold=False, centred=False, indent=False, font=_BODY_FONT, mark=""):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    for part, superscript in ((text, False), (mark, True)):
        if not part:
            continue
        run = paragraph.add_run(printable(part))
        run.bold = bold or None
        run.font.size = Pt(size)
        run.font.name = _LATIN_FONT
        run.font.superscript = superscript or None
        _east_asia(run._element, font)
    return paragraph


def _outline_level(paragraph, level: int) -> None:
    """Mark a title for Word's own table of contents and navigation pane."""
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()
    outline = properties.makeelement(qn("w:outlineLvl"), {qn("w:val"): str(level)})
    properties.append(outline)


def build_anthology_docx(campaign, entries: list[Entry], *, generated_at) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = _LATIN_FONT
    normal.font.size = Pt(12)
    _east_asia(normal.element, _BODY_FONT)
    for _index in range(6):
        document.add_paragraph()
    _paragraph(document, anthology_title(campaign), size=26, bold=True, centred=True, font=_HEADING_FONT)
    _paragraph(document, _("%(y)s年") % {"y": _year(campaign)}, size=16, centred=True)
    _paragraph(document, _("（供心理危机干预工作队伍培训交流使用）"), size=16, centred=True)
    _paragraph(document, _("编印日期：%(d)s") % {"d": _chinese_date(generated_at)}, size=14, centred=True)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _paragraph(document, _("目录"), size=18, bold=True, centred=True, font=_HEADING_FONT)
    for number, entry in enumerate(entries, start=1):
        _paragraph(document, f"{number}. {entry.report.title}", size=12)
    for entry in entries:
        report = entry.report
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        title = _paragraph(document, report.title, size=18, bold=True, centred=True, font=_HEADING_FONT)
        _outline_level(title, 0)
        line = subtitle_line(report)
        if line:
            _paragraph(document, line, size=14, centred=True, mark=_footnote_mark(report))
        for heading, section in numbered_headings(report):
            _paragraph(document, heading, size=14, bold=True, font=_HEADING_FONT)
            for text in paragraphs_of(section.text):
                _paragraph(document, text, indent=True)
        if entry.commentary:
            _paragraph(document, commentary_heading(report), size=14, bold=True, font=_HEADING_FONT)
            for text in paragraphs_of(entry.commentary):
                _paragraph(document, text, indent=True)
        if report.footnotes:
            _paragraph(document, "—" * 10, size=9)
            for text in _footnote_lines(report):
                _paragraph(document, text, size=9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# The service ----------------------------------------------------------------------


def generate_anthology(campaign, *, by, request=None) -> Anthology:
    """Compile the selected cases now (synchronous), store both files and audit it."""
    started = time.monotonic()
    entries = _entries(campaign)
    if not entries:
        raise SelectionError(_("还没有入选案例，不能生成案例集。"))
    missing = sum(1 for entry in entries if not entry.commentary)
    if missing:
        raise SelectionError(_("还有 %(n)s 个入选案例没有专家点评，请先补充后再生成案例集。") % {"n": missing})
    now = timezone.now()
    pdf = build_anthology_pdf(campaign, entries, generated_at=now)
    docx_data = build_anthology_docx(campaign, entries, generated_at=now)
    stored_pdf = store_encrypted(pdf, folder=STORAGE_FOLDER)
    stored_docx = store_encrypted(docx_data, folder=STORAGE_FOLDER)
    with transaction.atomic():
        anthology = Anthology.objects.create(
            campaign=campaign,
            report_count=len(entries),
            docx_name=stored_docx.name,
            docx_sha256=stored_docx.sha256,
            pdf_name=stored_pdf.name,
            pdf_sha256=stored_pdf.sha256,
            seconds=round(time.monotonic() - started, 2),
            generated_by=by,
            generated_at=now,
        )
        record(
            "xinan.selection.anthology.generate",
            actor=by,
            obj=anthology,
            request=request,
            after={"reports": len(entries), "pdf_sha256": stored_pdf.sha256, "docx_sha256": stored_docx.sha256},
        )
    return anthology
