"""Reading and writing the .xlsx files people import and export, safely.

Shared by every import (students, filers) and export: content-checked workbooks (no .xls or
.csv renamed, no zip bomb), cells read as typed text and never evaluated, headers found by name
whatever the column order, row errors with row and column for the person fixing the file, and
cells written so that Excel or WPS never runs them as formulas.
"""

from xinan.spreadsheets.reading import ImportFileError, RowError, cell_text, check_workbook_bytes, read_rows
from xinan.spreadsheets.writing import FORMULA_PREFIXES, ReferenceSheet, build_template, excel_safe

__all__ = [
    "FORMULA_PREFIXES",
    "ImportFileError",
    "ReferenceSheet",
    "RowError",
    "build_template",
    "cell_text",
    "check_workbook_bytes",
    "excel_safe",
    "read_rows",
]
