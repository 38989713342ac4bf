"""Active content in a PDF, found by reading its objects: the one check every upload path calls.

A PDF reader runs an action when the file opens (the catalog's ``/OpenAction``), on events
(``/AA``, "additional actions", of the catalog, a page, an annotation or a form field), or when
a link is clicked (an annotation's ``/A``); actions chain through ``/Next``. Document-level
scripts sit in the names tree (``/Names`` → ``/JavaScript``), attached files in
``/EmbeddedFiles`` or file-attachment annotations, dynamic forms in ``/AcroForm`` → ``/XFA``.

The file is opened with pypdf, which parses the objects as a reader does: comments are
comments (a ``% stream`` line hides nothing), names are decoded (``/J#61vaScript`` is
``/JavaScript``), compressed object streams are read. Two passes refuse what they find:

1. The structure, from the catalog: the open action, every ``/AA``, the names tree, the form
   (its fields' actions and XFA), every page's ``/AA`` and annotations with their actions, each
   action followed through ``/Next`` (a loop or an endless chain stops at a visited object or
   at ``PdfLimits.max_actions``). Here the context is known: a web link (``/URI``) a person
   clicks is allowed, one run automatically (on opening, on an event) is not; an action type
   that is neither known harmless nor known dangerous is refused.
2. Every object in the file, reachable or not (a damaged file is repaired by some readers, and
   an object nobody points to today is one edit away from the catalog): any dictionary that is
   a script (``/JS``), an action of a refused type, an embedded file, XFA or rich media.

Stream contents (page text, fonts, pictures) are never searched: the bytes ``/JS`` in a
compressed font are not a name. The work is bounded: the number of objects, the decoded size
of each stream and of all non-image streams together (a Flate stream inflating a thousand
times is refused before it is used), the number of actions and dictionaries visited, and the
nesting depth; pypdf's own limits are tightened for the duration of the check. Pictures are
not decoded (nothing here or in text extraction needs their pixels).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from xinan_reportformat.errors import DocumentReadError


@dataclass(frozen=True)
class PdfLimits:
    max_objects: int = 50_000
    max_stream_bytes: int = 32 * 1024 * 1024  # decoded bytes of one stream
    max_decoded_bytes: int = 64 * 1024 * 1024  # decoded bytes of all streams but pictures
    max_actions: int = 2_000  # action dictionaries followed, /Next chains included
    max_nodes: int = 500_000  # dictionaries and arrays looked into
    max_depth: int = 48  # nesting of direct dictionaries and arrays
    max_pages: int = 5_000
    # Reads pypdf makes from the file: its tokenizer reads strings, names and numbers a byte or
    # a few at a time (1.5-3 µs a read), stream data in one read. A 42-page PDF printed by
    # Chromium (tagged, many small objects) needs 373,000; a 15 MB hex string would need
    # 15 million (22 s). The limit stops any file after some 1.5-3 s of parsing.
    max_reads: int = 1_000_000


LIMITS = PdfLimits()


@dataclass(frozen=True)
class PdfInspection:
    pages: int
    content_bytes: int  # decoded bytes of the pages' content streams
    encrypted: bool  # with an owner password only (it opened with the empty one)


# What is refused, by reason code, and what the person is told it was.
_WHAT = {
    "pdf.javascript": "JavaScript 脚本",
    "pdf.launch": "启动外部程序的动作",
    "pdf.embedded_file": "嵌入的其他文件",
    "pdf.submit_form": "向外提交表单数据的动作",
    "pdf.import_data": "导入外部数据的动作",
    "pdf.xfa": "XFA 动态表单",
    "pdf.remote_goto": "打开其他文件的链接",
    "pdf.auto_uri": "打开文件或触发事件时自动访问网址的动作",
    "pdf.rich_media": "多媒体或三维内容",
    "pdf.action": "无法识别的自动动作",
}
MSG_ACTIVE = (
    "PDF 文件中含有{what}（脚本或自动执行的内容），出于安全原因不能接受。"
    "请用 Word“另存为 PDF”或重新扫描生成 PDF 后再上传。"
)
MSG_CORRUPT = "PDF 文件已损坏或格式不正确，无法读取。请重新导出 PDF 后再上传。"
MSG_ENCRYPTED = "PDF 文件已加密（设置了打开密码），系统无法检查其内容。请取消密码后重新导出 PDF 再上传。"
MSG_TOO_COMPLEX = (
    "PDF 文件的结构异常庞大或复杂（解压后过大或对象过多），疑似恶意构造的文件，已拒绝。请重新导出 PDF 后再上传。"
)

# Action types (/S) by what they do. Allowed ones move inside the file or change its display.
_REFUSED_ACTIONS = {
    "/JavaScript": "pdf.javascript",
    "/Launch": "pdf.launch",
    "/SubmitForm": "pdf.submit_form",
    "/ImportData": "pdf.import_data",
    "/GoToR": "pdf.remote_goto",
    "/GoToE": "pdf.embedded_file",
    "/Rendition": "pdf.rich_media",
    "/Movie": "pdf.rich_media",
    "/Sound": "pdf.rich_media",
    "/RichMediaExecute": "pdf.rich_media",
}
_HARMLESS_ACTIONS = frozenset(
    {"/GoTo", "/GoToDp", "/Named", "/Thread", "/Hide", "/ResetForm", "/SetOCGState", "/Trans", "/GoTo3DView"}
)
_REFUSED_ANNOTATIONS = {
    "/FileAttachment": "pdf.embedded_file",
    "/RichMedia": "pdf.rich_media",
    "/Screen": "pdf.rich_media",
    "/Movie": "pdf.rich_media",
    "/Sound": "pdf.rich_media",
    "/3D": "pdf.rich_media",
}
_AUTO, _CLICKED = "auto", "clicked"


def refusal(code: str) -> DocumentReadError:
    """The error for a reason code, with its Chinese message."""
    if code in _WHAT:
        return DocumentReadError(MSG_ACTIVE.format(what=_WHAT[code]), code=code)
    messages = {"pdf.corrupt": MSG_CORRUPT, "pdf.encrypted": MSG_ENCRYPTED, "pdf.too_complex": MSG_TOO_COMPLEX}
    return DocumentReadError(messages[code], code=code)


def inspect_pdf(data: bytes, *, limits: PdfLimits = LIMITS) -> PdfInspection:
    """Refuse (``DocumentReadError`` with a reason ``code``) a PDF that is malformed, locked
    with a password, too large once decoded, or carries active content; else say its size."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # hostile files make it chatty; no content in our logs
    with apply_configuration(
        zlib_maximum_output_length=limits.max_stream_bytes,
        lzw_maximum_output_length=limits.max_stream_bytes,
        run_length_maximum_output_length=limits.max_stream_bytes,
        brotli_maximum_output_length=limits.max_stream_bytes,
        stream_decoding_work_maximum_length=2 * limits.max_stream_bytes,
        maximum_declared_stream_length=limits.max_stream_bytes,
        page_tree_maximum_entries=limits.max_pages,
        form_fields_maximum_entries=limits.max_objects,
    ):
        try:
            return _Inspector(_open(data, limits), limits).run()
        except DocumentReadError:
            raise
        except (LimitReachedError, RecursionError, MemoryError) as error:
            raise refusal("pdf.too_complex") from error
        except Exception as error:  # any other parser failure on hostile input is a malformed file
            raise refusal("pdf.corrupt") from error


def _open(data: bytes, limits: PdfLimits) -> PdfReader:
    # Every object written in the file says "obj" (and "endobj"): a cheap upper bound on the
    # objects pypdf would read to rebuild a damaged cross-reference table (600,000 objects took
    # 9 s), taken before it starts. It decides nothing about content, only how much work to accept.
    if data.count(b"obj") > 2 * limits.max_objects + 1000:
        raise refusal("pdf.too_complex")
    try:
        reader = PdfReader(
            _BoundedBytes(data, limits.max_reads), strict=False, xref_stream_maximum_entries=limits.max_objects
        )
        encrypted = reader.is_encrypted
    except LimitReachedError as error:
        raise refusal("pdf.too_complex") from error
    except Exception as error:
        raise refusal("pdf.corrupt") from error
    if encrypted:
        # Only an owner password (printing or copying restricted) opens with the empty password;
        # a file that needs a password to open cannot be inspected.
        try:
            opened = reader.decrypt("")
        except Exception as error:
            raise refusal("pdf.encrypted") from error
        if not opened:
            raise refusal("pdf.encrypted")
    return reader


class _ParsingBudgetSpent(LimitReachedError):
    """pypdf read the file more times than ``PdfLimits.max_reads`` allows."""


class _BoundedBytes(io.BytesIO):
    """The file as pypdf reads it, counting the reads: the parser's work is bounded by the count,
    whatever the file holds (a tokenizer that recovers from one failed read meets the next)."""

    def __init__(self, data: bytes, budget: int) -> None:
        super().__init__(data)
        self.budget = budget

    def _spend(self) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise _ParsingBudgetSpent("parsing budget spent")

    def read(self, size: int | None = -1) -> bytes:
        self._spend()
        return super().read(size)

    def readline(self, size: int | None = -1) -> bytes:
        self._spend()
        return super().readline(size)


class _Inspector:
    def __init__(self, reader: PdfReader, limits: PdfLimits) -> None:
        self.reader = reader
        self.limits = limits
        self.nodes = 0
        self.actions = 0
        self.decoded = 0

    # --- the whole run ----------------------------------------------------------------------
    def run(self) -> PdfInspection:
        references = self._all_references()
        self._account_object_streams()
        catalog = self._resolve(self.reader.trailer.get("/Root"))
        if not isinstance(catalog, DictionaryObject):
            raise refusal("pdf.corrupt")
        self._check_catalog(catalog)
        pages = list(self.reader.pages)
        content = 0
        for page in pages:
            self._check_page(page)
            content += self._content_bytes(page)
        for reference in references:
            self._check_object(reference)
        if self.reader.stream.budget < 0:  # spent inside a step of pypdf's that recovers from errors
            raise refusal("pdf.too_complex")
        return PdfInspection(pages=len(pages), content_bytes=content, encrypted=bool(self.reader.is_encrypted))

    def _all_references(self) -> list[IndirectObject]:
        numbers = [(n, g) for g, table in self.reader.xref.items() for n in table]
        numbers += [(n, 0) for n in self.reader.xref_objStm]
        if len(numbers) > self.limits.max_objects:
            raise refusal("pdf.too_complex")
        return [IndirectObject(number, generation, self.reader) for number, generation in numbers]

    def _account_object_streams(self) -> None:
        """Decode every object stream once, within the budget, before any object is taken from one."""
        for number in sorted({stream for stream, _index in self.reader.xref_objStm.values()}):
            stream = self.reader.get_object(number)
            if isinstance(stream, StreamObject):
                self._spend(len(stream.get_data()))

    # --- structure ----------------------------------------------------------------------------
    def _check_catalog(self, catalog: DictionaryObject) -> None:
        opening = self._resolve(catalog.get("/OpenAction"))
        if isinstance(opening, DictionaryObject):  # an array is a destination: where to open
            self._check_actions(opening, _AUTO)
        self._check_additional_actions(catalog)
        names = self._resolve(catalog.get("/Names"))
        if isinstance(names, DictionaryObject):
            if "/JavaScript" in names:
                raise refusal("pdf.javascript")
            if "/EmbeddedFiles" in names:
                raise refusal("pdf.embedded_file")
        form = self._resolve(catalog.get("/AcroForm"))
        if isinstance(form, DictionaryObject):
            if "/XFA" in form:
                raise refusal("pdf.xfa")
            self._check_fields(form.get("/Fields"))

    def _check_page(self, page: DictionaryObject) -> None:
        self._check_additional_actions(page)
        annotations = self._resolve(page.get("/Annots"))
        if not isinstance(annotations, ArrayObject):
            return
        for item in annotations:
            annotation = self._resolve(item)
            if not isinstance(annotation, DictionaryObject):
                continue
            self._count_node()
            subtype = annotation.get("/Subtype")
            if subtype in _REFUSED_ANNOTATIONS:
                raise refusal(_REFUSED_ANNOTATIONS[subtype])
            action = self._resolve(annotation.get("/A"))
            if isinstance(action, DictionaryObject):
                self._check_actions(action, _CLICKED)
            self._check_additional_actions(annotation)

    def _check_fields(self, fields) -> None:
        stack, seen = [fields], set()
        while stack:
            item = stack.pop()
            key = _key(item)
            if key is not None and key in seen:
                continue
            seen.add(key)
            value = self._resolve(item)
            self._count_node()
            if isinstance(value, ArrayObject):
                stack.extend(value)
            elif isinstance(value, DictionaryObject):
                action = self._resolve(value.get("/A"))
                if isinstance(action, DictionaryObject):
                    self._check_actions(action, _CLICKED)
                self._check_additional_actions(value)
                if "/Kids" in value:
                    stack.append(value["/Kids"])

    def _check_additional_actions(self, holder: DictionaryObject) -> None:
        triggers = self._resolve(holder.get("/AA"))
        if not isinstance(triggers, DictionaryObject):
            return
        for trigger in triggers.values():
            action = self._resolve(trigger)
            if isinstance(action, DictionaryObject):
                self._check_actions(action, _AUTO)
            elif action is not None:
                raise refusal("pdf.action")  # a trigger whose action cannot be read

    def _check_actions(self, first: DictionaryObject, context: str) -> None:
        """One action and everything chained after it through /Next (a dictionary or an array)."""
        stack, seen = [first], set()
        while stack:
            item = stack.pop()
            key = _key(item)
            if key is not None:
                if key in seen:
                    continue  # a loop in the chain
                seen.add(key)
            action = self._resolve(item)
            self.actions += 1
            if self.actions > self.limits.max_actions:
                raise refusal("pdf.too_complex")
            if isinstance(action, ArrayObject):
                stack.extend(action)
                continue
            if not isinstance(action, DictionaryObject):
                continue
            self._check_action(action, context)
            following = action.get("/Next")
            if following is not None:
                stack.append(following)

    @staticmethod
    def _check_action(action: DictionaryObject, context: str) -> None:
        kind = action.get("/S")
        if "/JS" in action:
            raise refusal("pdf.javascript")
        if kind in _REFUSED_ACTIONS:
            raise refusal(_REFUSED_ACTIONS[kind])
        if kind == "/URI":
            if context == _AUTO:
                raise refusal("pdf.auto_uri")
            return
        if kind not in _HARMLESS_ACTIONS:
            raise refusal("pdf.action")

    # --- every object -------------------------------------------------------------------------
    def _check_object(self, reference: IndirectObject) -> None:
        try:
            value = reference.get_object()
        except (LimitReachedError, RecursionError, MemoryError):
            raise
        except Exception:
            return
        # Pictures are never decoded; object streams were counted before, cross-reference
        # streams are read (within pypdf's per-stream limit) when the file is opened.
        if (
            isinstance(value, StreamObject)
            and value.get("/Subtype") != "/Image"
            and value.get("/Type") not in {"/ObjStm", "/XRef"}
        ):
            self._spend(len(value.get_data()))
        self._check_tree(value)

    def _check_tree(self, root) -> None:
        """The dictionaries and arrays written inside one object (references are objects of
        their own, checked in their turn: no reference is followed, so no loop is possible)."""
        stack = [(root, 0)]
        while stack:
            value, depth = stack.pop()
            if isinstance(value, DictionaryObject):
                self._count_node()
                _refuse_dictionary(value)
                children = value.values()
            elif isinstance(value, ArrayObject):
                self._count_node()
                children = value
            else:
                continue
            if depth >= self.limits.max_depth:
                raise refusal("pdf.too_complex")
            stack.extend((child, depth + 1) for child in children if isinstance(child, DictionaryObject | ArrayObject))

    # --- budgets ------------------------------------------------------------------------------
    def _content_bytes(self, page: DictionaryObject) -> int:
        contents = self._resolve(page.get("/Contents"))
        streams = contents if isinstance(contents, ArrayObject) else [contents]
        total = 0
        for item in streams:
            stream = self._resolve(item)
            if isinstance(stream, StreamObject):
                total += len(stream.get_data())
        return total

    def _spend(self, size: int) -> None:
        self.decoded += size
        if self.decoded > self.limits.max_decoded_bytes:
            raise refusal("pdf.too_complex")

    def _count_node(self) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise refusal("pdf.too_complex")

    @staticmethod
    def _resolve(value):
        return value.get_object() if isinstance(value, IndirectObject) else value


def _refuse_dictionary(value: DictionaryObject) -> None:
    """What no dictionary anywhere in an accepted file may be, whatever points to it."""
    if "/JS" in value or "/JavaScript" in value:
        raise refusal("pdf.javascript")
    kind = value.get("/S")
    if isinstance(kind, str) and kind in _REFUSED_ACTIONS and value.get("/Type", "/Action") == "/Action":
        raise refusal(_REFUSED_ACTIONS[kind])
    if value.get("/Type") == "/EmbeddedFile" or "/EmbeddedFiles" in value or "/EF" in value:
        raise refusal("pdf.embedded_file")
    if "/XFA" in value:
        raise refusal("pdf.xfa")
    subtype = value.get("/Subtype")
    if isinstance(subtype, str) and subtype in _REFUSED_ANNOTATIONS and value.get("/Type", "/Annot") == "/Annot":
        raise refusal(_REFUSED_ANNOTATIONS[subtype])


def _key(item) -> tuple[int, int] | None:
    return (item.idnum, item.generation) if isinstance(item, IndirectObject) else None
