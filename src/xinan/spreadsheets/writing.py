from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

FORMULA_PREFIXES = ("=", "+", "-", "@")


def excel_safe(text: str) -> str:
    """Text to write into a spreadsheet cell so that Excel or WPS never runs it as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def build_template(
    *,
    title: str,
    headers: tuple[str, ...],
    widths: tuple[int, ...],
    text_columns: tuple[str, ...],
    notes_title: str,
    notes: tuple[str, ...],
) -> bytes:
    """An empty .xlsx with bold Chinese headers, text-formatted columns and a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(headers))
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBE6")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = width
        # Numbers and phones as text, so Excel keeps leading zeros and long digits.
        if headers[index - 1] in text_columns:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    sheet_notes = workbook.create_sheet(notes_title)
    for line in notes:
        sheet_notes.append([line])
    sheet_notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
