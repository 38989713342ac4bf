from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

FORMULA_PREFIXES = ("=", "+", "-", "@")


def excel_safe(text: str) -> str:
    """Text to write into a spreadsheet cell so that Excel or WPS never runs it as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@dataclass(frozen=True)
class ReferenceSheet:
    """A sheet of allowed values (e.g. the province's schools); the cells of ``column`` in the
    template get a drop-down of its first column."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    column: str

    VALIDATED_ROWS = 2000


def build_template(
    *,
    title: str,
    headers: tuple[str, ...],
    widths: tuple[int, ...],
    text_columns: tuple[str, ...],
    notes_title: str,
    notes: tuple[str, ...],
    reference: ReferenceSheet | None = None,
) -> bytes:
    """An empty .xlsx with bold Chinese headers, text-formatted columns, a sheet of instructions,
    and optionally a sheet of allowed values with a drop-down on the column that takes them."""
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
    if reference is not None:
        _add_reference(workbook, sheet, headers, reference)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_reference(workbook, sheet, headers: tuple[str, ...], reference: ReferenceSheet) -> None:
    values = workbook.create_sheet(reference.title)
    values.append(list(reference.headers))
    for cell in values[1]:
        cell.font = Font(bold=True)
    for row in reference.rows:
        values.append([excel_safe(text) for text in row])
    values.column_dimensions["A"].width = 40
    if not reference.rows or reference.column not in headers:
        return
    # Not forced (the check on import is the rule): a name or a code typed by hand stays possible.
    letter = sheet.cell(row=1, column=headers.index(reference.column) + 1).column_letter
    last = len(reference.rows) + 1
    validation = DataValidation(
        type="list", formula1=f"'{reference.title}'!$A$2:$A${last}", allow_blank=True, showErrorMessage=False
    )
    validation.add(f"{letter}2:{letter}{ReferenceSheet.VALIDATED_ROWS}")
    sheet.add_data_validation(validation)
