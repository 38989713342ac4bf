"""Writing a composed letter as Word (.docx, East-Asian fonts set) and as PDF (Chinese font
embedded), with the school's name as letterhead on every page."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from xinan.dossier.services.letters import Heading, Letter, Paragraph, Signatures, Table
from xinan_reportformat.export import escape, printable
from xinan_reportformat.pdf import BoldLines, PdfBuilder, cjk_styles, register_cjk_font

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
SIGNATURE_BLANK = "＿" * 10


# Word ------------------------------------------------------------------------------------------


def letter_to_docx(letter: Letter) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(12)
    _east_asia(normal.element, BODY_FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(header, letter.letterhead, size=14, bold=True, font=HEADING_FONT)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, letter.title, size=18, bold=True, font=HEADING_FONT)
    for block in letter.blocks:
        if isinstance(block, Heading):
            _run(document.add_paragraph(), block.text, size=13, bold=True, font=HEADING_FONT)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            if block.right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif block.indent:
                paragraph.paragraph_format.first_line_indent = Pt(24)
            _run(paragraph, block.text)
        elif isinstance(block, Table):
            _docx_table(document, block)
        elif isinstance(block, Signatures):
            document.add_paragraph()
            for label in block.labels:
                paragraph = document.add_paragraph()
                paragraph.paragraph_format.left_indent = Cm(7)
                _run(paragraph, f"{label}：{SIGNATURE_BLANK}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document, block: Table) -> None:
    from docx.shared import Pt

    columns = len(block.widths)
    rows = ([block.header] if block.header else []) + list(block.rows)
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c in range(columns):
            cell = table.cell(r, c)
            cell.text = ""
            text = row[c] if c < len(row) else ""
            _run(cell.paragraphs[0], str(text), size=10.5, bold=bool(block.header) and r == 0)
    document.add_paragraph().paragraph_format.space_after = Pt(2)


def _run(paragraph, text: str, *, size: float = 12, bold: bool = False, font: str = BODY_FONT):
    from docx.shared import Pt

    run = paragraph.add_run(printable(text))
    run.font.size = Pt(size)
    run.font.name = LATIN_FONT
    run.bold = bold or None
    _east_asia(run._element, font)
    return run


def _east_asia(element, font_name: str) -> None:
    """python-docx sets only the Latin font; Chinese text is drawn with w:eastAsia."""
    from docx.oxml.ns import qn

    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), font_name)


# PDF -------------------------------------------------------------------------------------------


class LetterheadPdf(PdfBuilder):
    """A4 with the school's name and a rule at the top of every page."""

    def __init__(self, letterhead: str, **kwargs):
        super().__init__(top_margin=3.3 * cm, **kwargs)
        self.letterhead = letterhead

    def decorate_page(self, canvas, document) -> None:
        super().decorate_page(canvas, document)
        width, height = A4
        canvas.saveState()
        canvas.setFont(register_cjk_font(), 14)
        canvas.drawCentredString(width / 2, height - 1.9 * cm, printable(self.letterhead))
        canvas.setStrokeColor(colors.Color(0.75, 0.1, 0.1))
        canvas.setLineWidth(1.2)
        canvas.line(self.left_margin, height - 2.2 * cm, width - self.right_margin, height - 2.2 * cm)
        canvas.restoreState()


def letter_to_pdf(letter: Letter, *, watermark: str | None = None) -> bytes:
    styles = cjk_styles()
    plain = ParagraphStyle("plain", parent=styles["body"], firstLineIndent=0)
    signature = ParagraphStyle("signature", parent=plain, leftIndent=7 * cm, spaceBefore=6)
    sign_off = ParagraphStyle("sign_off", parent=plain, alignment=TA_RIGHT)
    builder = LetterheadPdf(letter.letterhead, title=letter.title, watermark=watermark)
    width = A4[0] - builder.left_margin - builder.right_margin
    story: list = [BoldLines(printable(letter.title), styles["title"].fontSize, space_after=10)]
    for block in letter.blocks:
        if isinstance(block, Heading):
            story.append(BoldLines(printable(block.text), styles["heading"].fontSize, centred=False, space_after=4))
        elif isinstance(block, Paragraph):
            style = sign_off if block.right else styles["body"] if block.indent else plain
            story.append(PdfParagraph(_markup(block.text), style))
        elif isinstance(block, Table):
            story += [pdf_table(block, width, styles["table"]), Spacer(1, 6)]
        elif isinstance(block, Signatures):
            story.append(Spacer(1, 18))
            story += [PdfParagraph(_markup(f"{label}：{SIGNATURE_BLANK}"), signature) for label in block.labels]
    return builder.build(story)


def pdf_table(block: Table, width: float, style: ParagraphStyle) -> PdfTable:
    total = sum(block.widths)
    col_widths = [width * part / total for part in block.widths]
    rows = ([block.header] if block.header else []) + list(block.rows)
    data = [[PdfParagraph(_markup(str(cell)), style) for cell in row] for row in rows]
    table = PdfTable(data, colWidths=col_widths, repeatRows=1 if block.header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if block.header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.94, 0.96)))
    table.setStyle(TableStyle(commands))
    return table


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")
