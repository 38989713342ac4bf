"""The summary table (汇总表) of a province's recommendation, as Excel and as a printable
A4 PDF with the Chinese font embedded and room for the seal."""

from __future__ import annotations

import io
import zoneinfo
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from xinan.campaigns.enums import Outcome
from xinan.selection.enums import SUMMARY_COLUMNS
from xinan.spreadsheets import excel_safe
from xinan_reportformat.pdf import cjk_styles, register_cjk_font

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


def chinese_date(moment) -> str:
    local = moment.astimezone(CHINA)
    return f"{local.year}年{local.month}月{local.day}日"


def table_title(campaign, province) -> str:
    """ "甲省2026年高校学生心理危机干预案例推荐汇总表" from the campaign's title."""
    name = campaign.title.strip()
    for ending in ("征集活动", "征集", "报告"):
        if name.endswith(ending):
            name = name[: -len(ending)]
            break
    return _("%(province)s%(campaign)s推荐汇总表") % {"province": province.name, "campaign": name}


def _authors(authors) -> str:
    parts = []
    for author in authors or []:
        detail = "、".join(x for x in (author.get("unit", ""), author.get("position", "")) if x)
        parts.append(f"{author.get('name', '')}（{detail}）" if detail else author.get("name", ""))
    return "；".join(parts)


def summary_rows(submissions) -> list[list[str]]:
    rows = []
    for number, submission in enumerate(submissions, start=1):
        title = submission.title + (f"\n——{submission.subtitle.lstrip('—-－ ')}" if submission.subtitle else "")
        outcome = str(Outcome(submission.outcome).label) if submission.outcome else ""
        contact = f"{submission.filer.name}\n{submission.contact_phone or ''}".strip()
        rows.append(
            [
                str(number),
                submission.school.name,
                title,
                _authors(submission.authors),
                submission.trigger,
                submission.nature,
                outcome,
                contact,
            ]
        )
    return rows


def _footer_lines(*, code: str, digest: str) -> list[str]:
    return [
        _("校验码：%(code)s") % {"code": code},
        _("推荐集合 SHA-256：%(digest)s") % {"digest": digest},
    ]


# Excel ----------------------------------------------------------------------------


def build_summary_xlsx(rows, *, campaign, province, generated_at, code, digest) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("推荐汇总表")
    width = len(SUMMARY_COLUMNS)
    thin = Side(style="thin", color="000000")
    sheet.append([excel_safe(table_title(campaign, province))])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(
        [
            _("推荐单位：%(p)s") % {"p": province.name},
            "",
            "",
            "",
            "",
            _("生成日期：%(d)s") % {"d": chinese_date(generated_at)},
        ]
    )
    sheet.append([str(column) for column in SUMMARY_COLUMNS])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in rows:
        sheet.append([excel_safe(value) for value in row])
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.number_format = "@"
    sheet.append([])
    for line in _footer_lines(code=code, digest=digest):
        sheet.append([line])
    sheet.append([])
    sheet.append(["", "", "", "", _("推荐单位（盖章）："), "", "", ""])
    sheet.append(["", "", "", "", _("日期：     年   月   日"), "", "", ""])
    for letter, size in zip("ABCDEFGH", (6, 22, 40, 30, 10, 12, 12, 18), strict=True):
        sheet.column_dimensions[letter].width = size
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# PDF ------------------------------------------------------------------------------


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _blanks(text: str) -> str:
    """Keep the blanks a person writes the date into (markup collapses plain spaces)."""
    return escape(text).replace(" ", "&nbsp;")


WRAPPED_COLUMNS = frozenset({1, 2, 3})


def build_summary_pdf(rows, *, campaign, province, generated_at, code, digest) -> bytes:
    font = register_cjk_font()
    styles = cjk_styles(11)
    cell = ParagraphStyle("summary-cell", parent=styles["table"], fontSize=9, leading=12.5)
    head = ParagraphStyle("summary-head", parent=cell, alignment=1)
    small = ParagraphStyle("summary-small", parent=styles["footnote"], fontSize=8.5, leading=12)
    meta = ParagraphStyle("summary-meta", parent=styles["table"], fontSize=10.5, leading=15)
    title = table_title(campaign, province)
    story = [
        Paragraph(escape(title), styles["title"]),
        Spacer(1, 4),
        Table(
            [
                [
                    _cell(_("推荐单位：%(p)s") % {"p": province.name}, meta),
                    _cell(_("生成日期：%(d)s") % {"d": chinese_date(generated_at)}, meta),
                    _cell(_("校验码：%(code)s") % {"code": code}, meta),
                ]
            ],
            colWidths=[9 * cm, 8 * cm, 8.7 * cm],
        ),
        Spacer(1, 6),
    ]
    data = [[_cell(str(column), head) for column in SUMMARY_COLUMNS]]
    # Only school, title and authors need wrapping; the short cells stay plain strings, which the
    # table draws without paragraph layout (this halves the time for 1,000 rows).
    data += [
        [_cell(value, cell) if index in WRAPPED_COLUMNS else value for index, value in enumerate(row)] for row in rows
    ]
    widths = [1.1, 3.6, 6.2, 5.0, 1.9, 2.2, 1.9, 3.8]
    grid = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 1), (-1, -1), 9),
                ("LEADING", (0, 1), (-1, -1), 12.5),
            ]
        )
    )
    story += [grid, Spacer(1, 10)]
    story += [Paragraph(escape(line), small) for line in _footer_lines(code=code, digest=digest)]
    seal = Table(
        [
            [_cell(_("填表人："), meta), _cell(_("推荐单位（盖章）："), meta)],
            [_cell(_("联系电话："), meta), Paragraph(_blanks(_("日期：        年     月     日")), meta)],
        ],
        colWidths=[11 * cm, 14.7 * cm],
        rowHeights=[2.4 * cm, 1.0 * cm],
    )
    seal.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 12), seal]

    def page_number(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        width, _height = landscape(A4)
        canvas.drawCentredString(width / 2, 0.8 * cm, f"— {canvas.getPageNumber()} —  {code}")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
        title=title,
        author="",
        creator="XinAn",
    )
    document.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue()
