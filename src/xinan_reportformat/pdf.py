"""PDF building blocks with an embedded Chinese font, for every PDF the
platform prints: case reports here, and later summary tables, letters and
anthologies.

    from xinan_reportformat.pdf import PdfBuilder, cjk_styles
    styles = cjk_styles()
    pdf_bytes = PdfBuilder(title="汇总表", watermark="张老师 2026-01-05").build([...flowables])

The font is WenQuanYi Micro Hei (freely licensed), shipped by the
``paperang-p2-fonts-cjk`` package; reportlab embeds it as a subset
(FontFile2), so the PDF shows Chinese on any reader.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib import resources

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, SimpleDocTemplate

CJK_FONT = "XinAnCJK"
_FONT_PACKAGE = "paperang_p2_fonts_cjk"
_FONT_FILE = "fonts/wqy-microhei.ttc"


def register_cjk_font() -> str:
    """Register the embedded Chinese font once and return its name."""
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        with resources.as_file(resources.files(_FONT_PACKAGE) / _FONT_FILE) as path:
            pdfmetrics.registerFont(TTFont(CJK_FONT, str(path), subfontIndex=0))
        # One face serves for bold and italic too, so <b> markup never fails.
        pdfmetrics.registerFontFamily(
            CJK_FONT,
            normal=CJK_FONT,
            bold=CJK_FONT,
            italic=CJK_FONT,
            boldItalic=CJK_FONT,
        )
    return CJK_FONT


def cjk_styles(base_size: float = 12) -> dict[str, ParagraphStyle]:
    """Paragraph styles for Chinese documents (CJK line breaking)."""
    font = register_cjk_font()
    common = {"fontName": font, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle(
            "title",
            fontSize=base_size + 6,
            leading=(base_size + 6) * 1.5,
            alignment=TA_CENTER,
            **common,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            fontSize=base_size + 2,
            leading=(base_size + 2) * 1.6,
            alignment=TA_CENTER,
            spaceAfter=base_size,
            **common,
        ),
        "heading": ParagraphStyle(
            "heading",
            fontSize=base_size + 1,
            leading=(base_size + 1) * 1.7,
            spaceBefore=base_size * 0.6,
            spaceAfter=base_size * 0.2,
            alignment=TA_LEFT,
            **common,
        ),
        "body": ParagraphStyle(
            "body",
            fontSize=base_size,
            leading=base_size * 1.7,
            firstLineIndent=base_size * 2,
            alignment=TA_JUSTIFY,
            **common,
        ),
        "footnote": ParagraphStyle(
            "footnote",
            fontSize=base_size - 3,
            leading=(base_size - 3) * 1.5,
            alignment=TA_LEFT,
            **common,
        ),
        "table": ParagraphStyle("table", fontSize=base_size - 1.5, leading=(base_size - 1.5) * 1.4, **common),
    }


class BoldLines(Flowable):
    """Text drawn filled and stroked, so it looks bold with a font that has
    no bold face; it wraps by characters, splits across pages and stays
    extractable text."""

    def __init__(self, text: str, font_size: float, *, centred: bool = True, space_after: float = 0) -> None:
        super().__init__()
        self.text = text
        self.font_size = font_size
        self.centred = centred
        self.space_after = space_after
        self._lines: list[str] | None = None

    @property
    def line_height(self) -> float:
        return self.font_size * 1.5

    def wrap(self, available_width, available_height):
        self.width = available_width
        if self._lines is None:
            self._lines = _wrap_characters(self.text, self.font_size, available_width)
        self.height = len(self._lines) * self.line_height + self.space_after
        return self.width, self.height

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        fitting = int(available_height // self.line_height)
        if fitting < 1 or fitting >= len(self._lines):
            return []
        return [self._part(self._lines[:fitting], 0), self._part(self._lines[fitting:], self.space_after)]

    def _part(self, lines: list[str], space_after: float) -> BoldLines:
        part = BoldLines("".join(lines), self.font_size, centred=self.centred, space_after=space_after)
        part._lines = lines
        return part

    def draw(self) -> None:
        canvas = self.canv
        font = register_cjk_font()
        canvas.saveState()
        canvas.setLineWidth(self.font_size * 0.035)
        y = self.height - self.space_after - self.font_size * 1.15
        for line in self._lines or []:
            width = pdfmetrics.stringWidth(line, font, self.font_size)
            x = (self.width - width) / 2 if self.centred else 0
            text = canvas.beginText(x, y)
            text.setFont(font, self.font_size)
            text.setTextRenderMode(2)
            text.textOut(line)
            canvas.drawText(text)
            y -= self.line_height
        canvas.restoreState()


def _wrap_characters(text: str, font_size: float, width: float) -> list[str]:
    font = register_cjk_font()
    lines, current = [], ""
    for char in text:
        if current and pdfmetrics.stringWidth(current + char, font, font_size) > width:
            lines.append(current)
            current = ""
        current += char
    return [*lines, current] if current else lines or [""]


@dataclass
class PdfBuilder:
    """An A4 document with margins, page numbers ("— 1 —") and an optional
    watermark written as text on every page."""

    title: str = ""
    watermark: str | None = None
    page_numbers: bool = True
    left_margin: float = 3.18 * cm
    right_margin: float = 3.18 * cm
    top_margin: float = 2.54 * cm
    bottom_margin: float = 2.54 * cm

    def build(self, flowables: list[Flowable]) -> bytes:
        register_cjk_font()
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=self.left_margin,
            rightMargin=self.right_margin,
            topMargin=self.top_margin,
            bottomMargin=self.bottom_margin,
            title=self.title,
            author="",
            creator="XinAn",
            invariant=1,
        )
        document.build(
            list(flowables),
            onFirstPage=self.decorate_page,
            onLaterPages=self.decorate_page,
        )
        return buffer.getvalue()

    def decorate_page(self, canvas, document) -> None:
        canvas.saveState()
        if self.watermark:
            draw_watermark(canvas, self.watermark)
        if self.page_numbers:
            draw_page_number(canvas, canvas.getPageNumber())
        canvas.restoreState()


def draw_page_number(canvas, number: int) -> None:
    width, _ = A4
    canvas.setFont(register_cjk_font(), 9)
    canvas.setFillColor(colors.black)
    canvas.drawCentredString(width / 2, 1.4 * cm, f"— {number} —")


def draw_watermark(canvas, text: str) -> None:
    """Draw the watermark across the page, light grey, at 30 degrees."""
    width, height = A4
    canvas.saveState()
    canvas.setFont(register_cjk_font(), 22)
    canvas.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.25))
    canvas.translate(width / 2, height / 2)
    canvas.rotate(30)
    for offset in (-9 * cm, 0, 9 * cm):
        canvas.drawCentredString(0, offset, text)
    canvas.restoreState()
