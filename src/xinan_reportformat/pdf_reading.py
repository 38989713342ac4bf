"""Reading the text of a PDF, after the active-content check and within bounded work."""

from __future__ import annotations

import io
import logging
import re

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTTextBox
from pdfminer.pdfinterp import LITERAL_FORM, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import literal_name

from xinan_reportformat.charcount import count_chars
from xinan_reportformat.errors import DocumentReadError
from xinan_reportformat.pdf_safety import inspect_pdf, refusal

MAX_PAGES = 200
# Decoded bytes of drawing instructions laid out for text: the pages' content streams, and
# every form (a reusable drawing) each time a page draws it. A dense page of text is some
# 20-50 KB (the official sample: 31 KB for two pages); a form drawn ten thousand times would
# otherwise multiply the work without a limit. pdfminer lays out a few hundred KB a second.
MAX_CONTENT_BYTES = 2 * 1024 * 1024
# Fewer characters than this on all pages means a scan or a picture.
MIN_TEXT_CHARS = 20

_CID_GARBAGE = re.compile(r"\(cid:\d+\)")

MSG_CORRUPT = "PDF 文件已损坏或格式不正确，无法读取。请重新导出 PDF 后再上传。"
MSG_ENCRYPTED = "PDF 文件已加密或设置了密码，系统无法读取。请取消加密后重新导出 PDF 再上传。"
MSG_NO_TEXT = "PDF 中没有可提取的文字（可能是扫描件或图片）。请上传由 Word 直接导出的 PDF，不要上传扫描件或照片。"
MSG_TOO_MANY_PAGES = "PDF 共 {pages} 页，超过了 {limit} 页的上限。请确认上传的是案例报告本身。"
MSG_BAD_FONT = "PDF 中的文字无法正确提取（字体未包含字符映射）。请用 Word“另存为 PDF”重新生成后再上传。"


def read_pdf_text(data: bytes, *, max_pages: int = MAX_PAGES) -> str:
    """Return the text of a PDF. Refused first, before any text is laid out: active content
    and malformed or oversized files (``pdf_safety``), password-protected files, more than
    ``max_pages`` pages, more than ``MAX_CONTENT_BYTES`` of drawing instructions."""
    inspection = inspect_pdf(data)
    if inspection.encrypted:
        raise DocumentReadError(MSG_ENCRYPTED, code="pdf.encrypted")
    if inspection.pages > max_pages:
        raise DocumentReadError(
            MSG_TOO_MANY_PAGES.format(pages=inspection.pages, limit=max_pages), code="pdf.pages"
        )
    if inspection.content_bytes > MAX_CONTENT_BYTES:
        raise refusal("pdf.too_complex")
    text = _extract_with_pdfminer(data, max_pages)
    if count_chars(text) < MIN_TEXT_CHARS:
        raise DocumentReadError(MSG_NO_TEXT, code="pdf.no_text")
    if len(_CID_GARBAGE.findall(text)) * 5 > count_chars(text) / 10:
        raise DocumentReadError(MSG_BAD_FONT, code="pdf.bad_font")
    return text


def _extract_with_pdfminer(data: bytes, max_pages: int) -> str:
    """Extract the text boxes of every page in reading order, leaving out
    rotated characters: a diagonal watermark is not part of the report."""
    _quiet("pdfminer")
    try:
        resources = PDFResourceManager()
        device = _UprightTextAggregator(resources, laparams=LAParams())
        interpreter = _BoundedInterpreter(resources, device)
        pages = []
        for page in PDFPage.get_pages(io.BytesIO(data), maxpages=max_pages):
            interpreter.process_page(page)
            boxes = [item.get_text() for item in device.get_result() if isinstance(item, LTTextBox)]
            pages.append("\n".join(boxes))
        return "\n".join(pages)
    except DocumentReadError:
        raise
    except Exception as error:  # any parser failure on hostile input is a refusal
        raise DocumentReadError(MSG_CORRUPT, code="pdf.corrupt") from error


class _BoundedInterpreter(PDFPageInterpreter):
    """Counts every form it draws against ``MAX_CONTENT_BYTES`` (the pages' own content was
    counted before extraction began). A form costs at least ``_FORM_COST`` however small,
    which also bounds how many times forms can be drawn (a form drawing itself included)."""

    def do_Do(self, xobjid_arg) -> None:
        xobj = self.xobjmap.get(literal_name(xobjid_arg))
        if xobj is not None:
            xobj = stream_value(xobj)
            if xobj.get("Subtype") is LITERAL_FORM:
                self.device.drawn_bytes += max(len(xobj.get_data()), _FORM_COST)
                if self.device.drawn_bytes > MAX_CONTENT_BYTES:
                    raise refusal("pdf.too_complex")
        super().do_Do(xobjid_arg)


_FORM_COST = 1024


class _UprightTextAggregator(PDFPageAggregator):
    """Drops rotated characters before the layout analysis groups lines."""

    drawn_bytes = 0  # forms drawn so far, shared by the interpreters of one extraction

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
