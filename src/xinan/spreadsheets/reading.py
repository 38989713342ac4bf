from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_UNPACKED = 60 * 1024 * 1024  # a zip bomb unpacks far beyond this


class ImportFileError(Exception):
    """The upload is not a usable workbook (wrong type, too large, no header); Chinese message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def cell_text(value: Any) -> str:
    """The text of a cell as typed. Formulas are never evaluated: their text is the value."""
    if value is None:
        return ""
    text = getattr(value, "text", None)  # openpyxl ArrayFormula / DataTableFormula
    if isinstance(text, str):
        value = text
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        value = str(value)
    return value.replace("\u3000", " ").strip()


def not_xlsx_message() -> str:
    return _(
        "这不是有效的 Excel 工作簿（.xlsx）。.xls 和 .csv 文件不能直接导入，请用 Excel 或 WPS 另存为 .xlsx 后再上传。"
    )


def check_workbook_bytes(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_unpacked: int = DEFAULT_MAX_UNPACKED
) -> None:
    """Refuse anything that is not a real .xlsx by its content, whatever its file name says."""
    if len(data) > max_bytes:
        raise ImportFileError(_("文件过大：最大 %(mb)s MB。请分成几个文件导入。") % {"mb": max_bytes // (1024 * 1024)})
    not_xlsx = not_xlsx_message()
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(not_xlsx) from exc
    if "xl/workbook.xml" not in names:
        raise ImportFileError(not_xlsx)
    if unpacked > max_unpacked:
        raise ImportFileError(_("文件内容过大，请分成几个文件导入。"))


def _header_columns(header, headers: tuple[str, ...], required: tuple[str, ...]) -> list[int | None]:
    if not header:
        raise ImportFileError(_("第一行应为表头，请使用下载的模板。"))
    found: dict[str, int] = {}
    for index, value in enumerate(header):
        label = cell_text(value).replace("*", "").strip()
        if label in headers and label not in found:
            found[label] = index
    missing = [label for label in required if label not in found]
    if missing:
        raise ImportFileError(_("表头缺少以下列：%(cols)s。请使用下载的模板。") % {"cols": "、".join(missing)})
    return [found.get(label) for label in headers]


def read_rows(
    data: bytes,
    *,
    headers: tuple[str, ...],
    required: tuple[str, ...],
    max_rows: int,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[tuple[int, tuple]]:
    """The data rows of the first sheet as (Excel row number, values in ``headers`` order)."""
    check_workbook_bytes(data, max_bytes=max_bytes)
    try:
        # data_only=False: a formula cell gives its formula text, which is kept as text.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file; all mean the same
        raise ImportFileError(not_xlsx_message()) from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        columns = _header_columns(next(rows, None), headers, required)
        result = []
        for number, values in enumerate(rows, start=2):
            if values is None or all(cell_text(value) == "" for value in values):
                continue
            if len(result) >= max_rows:
                raise ImportFileError(_("一次最多导入 %(n)s 行，请分成几个文件导入。") % {"n": max_rows})
            result.append((number, tuple(values[i] if i is not None and i < len(values) else None for i in columns)))
        return result
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet is parsed only while its rows are read
        raise ImportFileError(not_xlsx_message()) from exc
    finally:
        workbook.close()
