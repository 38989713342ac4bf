"""Reading the text of a PDF, after refusing encryption and scripts."""

from __future__ import annotations

import io
import logging
import re

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTTextBox
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from xinan_reportformat.charcount import count_chars
from xinan_reportformat.errors import DocumentReadError

MAX_PAGES = 200
MAX_OBJECTS = 200_000
_MAX_DEPTH = 24
# Fewer characters than this on all pages means a scan or a picture.
MIN_TEXT_CHARS = 20

# "/JS" or "/JavaScript" as a whole PDF name, also when written with #xx escapes.
_SCRIPT_NAME = re.compile(rb"/(?:J|#4[aA])(?:S|#53|avaScript)(?![A-Za-z0-9#])")
_CID_GARBAGE = re.compile(r"\(cid:\d+\)")

MSG_CORRUPT = "PDF 文件已损坏或格式不正确，无法读取。请重新导出 PDF 后再上传。"
MSG_ENCRYPTED = "PDF 文件已加密或设置了密码，系统无法读取。请取消加密后重新导出 PDF 再上传。"
MSG_SCRIPT = (
    "PDF 文件中含有 JavaScript 脚本或自动执行的动作，出于安全原因系统拒绝读取。请用 Word“另存为 PDF”重新生成后再上传。"
)
MSG_NO_TEXT = "PDF 中没有可提取的文字（可能是扫描件或图片）。请上传由 Word 直接导出的 PDF，不要上传扫描件或照片。"
MSG_TOO_MANY_PAGES = "PDF 共 {pages} 页，超过了 {limit} 页的上限。请确认上传的是案例报告本身。"
MSG_BAD_FONT = "PDF 中的文字无法正确提取（字体未包含字符映射）。请用 Word“另存为 PDF”重新生成后再上传。"


def read_pdf_text(data: bytes, *, max_pages: int = MAX_PAGES) -> str:
    """Return the text of a PDF, refusing encrypted and scripted files and, before laying
    out any text, files of more than ``max_pages`` pages."""
    if _SCRIPT_NAME.search(data):
        raise DocumentReadError(MSG_SCRIPT)
    reader = _open_reader(data)
    _check_objects(reader)
    if len(reader.pages) > max_pages:
        raise DocumentReadError(MSG_TOO_MANY_PAGES.format(pages=len(reader.pages), limit=max_pages), code="pdf.pages")
    text = _extract_with_pdfminer(data, max_pages)
    if count_chars(text) < MIN_TEXT_CHARS:
        raise DocumentReadError(MSG_NO_TEXT)
    if len(_CID_GARBAGE.findall(text)) * 5 > count_chars(text) / 10:
        raise DocumentReadError(MSG_BAD_FONT)
    return text


def _open_reader(data: bytes):
    _quiet("pypdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as error:  # any parser failure on hostile input is a refusal
        raise DocumentReadError(MSG_CORRUPT) from error
    if encrypted:
        raise DocumentReadError(MSG_ENCRYPTED)
    return reader


def _check_objects(reader) -> None:
    """Walk every object (object streams included) looking for scripts,
    which the byte scan cannot see inside compressed object streams."""
    for reference in _object_references(reader):
        try:
            value = reader.get_object(reference)
        except Exception:  # noqa: S112 - an unreadable object holds no script a reader would run
            continue
        if _holds_script(value, 0):
            raise DocumentReadError(MSG_SCRIPT)


def _object_references(reader) -> list:
    numbers: list[tuple[int, int]] = []
    for generation, table in reader.xref.items():
        numbers += [(number, generation) for number in table]
    numbers += [(number, 0) for number in reader.xref_objStm]
    if len(numbers) > MAX_OBJECTS:
        raise DocumentReadError(MSG_CORRUPT)
    return [IndirectObject(number, generation, reader) for number, generation in numbers]


def _holds_script(value, depth: int) -> bool:
    if depth > _MAX_DEPTH:
        return False
    if isinstance(value, DictionaryObject):
        if "/JS" in value or "/JavaScript" in value or value.get("/S") == "/JavaScript":
            return True
        return any(_holds_script(v, depth + 1) for v in value.values())
    if isinstance(value, ArrayObject):
        return any(_holds_script(v, depth + 1) for v in value)
    return False


def _extract_with_pdfminer(data: bytes, max_pages: int) -> str:
    """Extract the text boxes of every page in reading order, leaving out
    rotated characters: a diagonal watermark is not part of the report."""
    _quiet("pdfminer")
    try:
        resources = PDFResourceManager()
        device = _UprightTextAggregator(resources, laparams=LAParams())
        interpreter = PDFPageInterpreter(resources, device)
        pages = []
        for page in PDFPage.get_pages(io.BytesIO(data), maxpages=max_pages):
            interpreter.process_page(page)
            boxes = [item.get_text() for item in device.get_result() if isinstance(item, LTTextBox)]
            pages.append("\n".join(boxes))
        return "\n".join(pages)
    except Exception as error:  # any parser failure on hostile input is a refusal
        raise DocumentReadError(MSG_CORRUPT) from error


class _UprightTextAggregator(PDFPageAggregator):
    """Drops rotated characters before the layout analysis groups lines."""

    def end_page(self, page) -> None:
        page_item = self.cur_item
        page_item._objs = [o for o in page_item._objs if not (isinstance(o, LTChar) and _is_rotated(o.matrix))]
        super().end_page(page)


def _is_rotated(matrix) -> bool:
    a, b, c, d, _, _ = matrix
    scale = max(abs(a), abs(d), 1e-9)
    return abs(b) > scale * 0.01 or abs(c) > scale * 0.01


def _quiet(logger_name: str) -> None:
    """Third-party parsers log details of broken files; keep them out of
    our logs, which must hold no document content."""
    logging.getLogger(logger_name).setLevel(logging.ERROR)
