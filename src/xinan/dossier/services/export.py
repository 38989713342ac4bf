"""The whole dossier as one ZIP, streamed: one folder per slot and an index PDF.

The archive is written entry by entry into a buffer that is emptied after every chunk, so
memory holds one document at a time however large the dossier is. Every file is verified
against its checksum on the way out; one that fails is left out and marked in the index.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer

from xinan.audit.services.record import record
from xinan.cases.models import Case
from xinan.dossier.enums import SLOT_ORDER, DocumentSlot
from xinan.dossier.models import Document
from xinan.dossier.services.documents import document_bytes, safe_file_name
from xinan.dossier.services.errors import DossierError
from xinan.dossier.services.letters import Table
from xinan.dossier.services.queries import documents_in_order
from xinan.dossier.services.render import pdf_table
from xinan_reportformat.export import escape
from xinan_reportformat.pdf import BoldLines, PdfBuilder, cjk_styles

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
INDEX_NAME = "00-目录.pdf"
# Written when the archive is made, from the case as it is then (never a stale copy filed earlier).
RECORD_NAME = "00-危机干预记录表（导出时生成）.pdf"
TIMELINE_NAME = "00-处理经过（导出时生成）.pdf"
# Already compressed: storing them again costs time and saves nothing.
_STORED_TYPES = ("application/pdf", "image/", "audio/", "application/vnd.openxmlformats")


class _Sink:
    """A write-only file for zipfile: what is written waits here until the generator takes it."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


@dataclass(frozen=True)
class Entry:
    number: int
    document: Document
    path: str


def _folder(slot: DocumentSlot) -> str:
    index = SLOT_ORDER.index(slot) + 1
    return f"{index:02d}-{str(slot.label).replace('/', '、')}"


def plan_entries(documents: list[Document]) -> list[Entry]:
    entries = []
    for number, document in enumerate(documents, start=1):
        name = safe_file_name(document.original_name, document.extension)
        entries.append(Entry(number, document, f"{_folder(DocumentSlot(document.slot))}/{number:03d}-{name}"))
    return entries


def export_file_name(case: Case) -> str:
    return f"一人一案-{case.reference}-{timezone.localdate():%Y%m%d}.zip"


def export_dossier(case: Case, *, by, request=None) -> Iterator[bytes]:
    """Audit the export and return the archive as an iterator of byte chunks."""
    documents = documents_in_order(case)
    record(
        "xinan.dossier.export",
        actor=by,
        organisation=case.school,
        obj=case,
        request=request,
        after={"documents": len(documents), "bytes": sum(d.size for d in documents)},
    )
    return stream_archive(case, plan_entries(documents), exported_by=by.name)


def stream_archive(case: Case, entries: list[Entry], *, exported_by: str) -> Iterator[bytes]:
    sink = _Sink()
    failed: set[int] = set()
    with zipfile.ZipFile(sink, mode="w", allowZip64=True) as archive:
        for entry in entries:
            try:
                data = document_bytes(entry.document)
            except DossierError:
                failed.add(entry.number)
                continue
            info = zipfile.ZipInfo(entry.path, date_time=_zip_time(entry.document.uploaded_at))
            info.file_size = len(data)
            stored = entry.document.content_type.startswith(_STORED_TYPES)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            with archive.open(info, mode="w") as handle:
                view = memoryview(data)
                for start in range(0, len(view), CHUNK):
                    handle.write(view[start : start + CHUNK])
                    yield sink.take()
            del data, view
            yield sink.take()
        mark = _("%(who)s %(when)s 导出") % {"who": exported_by, "when": f"{timezone.localtime():%Y-%m-%d %H:%M}"}
        for name, data in ((RECORD_NAME, record_form_pdf(case, mark)), (TIMELINE_NAME, timeline_pdf(case, mark))):
            info = zipfile.ZipInfo(name, date_time=_zip_time(timezone.now()))
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
            yield sink.take()
        index = index_pdf(case, entries, failed=failed, exported_by=exported_by)
        info = zipfile.ZipInfo(INDEX_NAME, date_time=_zip_time(timezone.now()))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        archive.writestr(info, index)
    if failed:
        logger.error("dossier export of case %s: %s file(s) failed their checksum", case.pk, len(failed))
    yield sink.take()


def record_form_pdf(case: Case, watermark: str) -> bytes:
    """The intervention record form as the case stands now: state, outcome, every record."""
    from xinan.dossier.enums import LetterKind
    from xinan.dossier.services.letters import compose_letter
    from xinan.dossier.services.render import letter_to_pdf

    return letter_to_pdf(compose_letter(case, LetterKind.INTERVENTION_RECORD), watermark=watermark)


def timeline_pdf(case: Case, watermark: str) -> bytes:
    """The case's whole timeline (处理经过), in China time, as on the case page."""
    from xinan.cases.services.timeline import timeline
    from xinan.dossier.services.letters import Letter
    from xinan.dossier.services.render import letter_to_pdf

    rows = tuple(
        (f"{timezone.localtime(event.at):%Y-%m-%d %H:%M}", str(event.title), event.by, event.detail)
        for event in timeline(case)
    )
    table = Table(
        header=(_("时间"), _("事项"), _("人员"), _("说明")),
        rows=rows or ((_("无"), "", "", ""),),
        widths=(1.6, 2.4, 1, 3.6),
    )
    letter = Letter(letterhead=case.school.name, title=_("处理经过（个案 %(ref)s）") % {"ref": case.reference})
    letter.blocks.append(table)
    return letter_to_pdf(letter, watermark=watermark)


def _zip_time(moment) -> tuple[int, int, int, int, int, int]:
    local = timezone.localtime(moment)
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)


def index_pdf(case: Case, entries: list[Entry], *, failed: set[int], exported_by: str) -> bytes:
    styles = cjk_styles(11)
    builder = PdfBuilder(
        title=_("一人一案档案目录"),
        watermark=_("%(who)s %(when)s 导出") % {"who": exported_by, "when": f"{timezone.localtime():%Y-%m-%d %H:%M}"},
        left_margin=1.5 * cm,
        right_margin=1.5 * cm,
    )
    width = A4[0] - builder.left_margin - builder.right_margin
    rows = []
    for entry in entries:
        document = entry.document
        name = entry.path.split("/", 1)[1]
        if entry.number in failed:
            name += _("（校验失败，未导出）")
        rows.append(
            (
                f"{entry.number:03d}",
                str(DocumentSlot(document.slot).label),
                name,
                f"{timezone.localtime(document.uploaded_at):%Y-%m-%d %H:%M}",
                document.uploaded_by.name + (_("（系统生成）") if document.generated else ""),
                document.sha256,
            )
        )
    table = Table(
        header=(_("编号"), _("类别"), _("文件名"), _("日期"), _("上传人"), "SHA-256"),
        rows=tuple(rows) or (((_("无"),) + ("",) * 5),),
        widths=(0.9, 2.2, 3.6, 1.7, 1.6, 3.6),
    )
    summary = _("学校：%(school)s　个案编号：%(ref)s　文件数：%(n)s　导出时间：%(at)s") % {
        "school": case.school.name,
        "ref": case.reference,
        "n": len(entries) - len(failed),
        "at": f"{timezone.localtime():%Y-%m-%d %H:%M}",
    }
    story = [
        BoldLines(_("一人一案档案目录"), styles["title"].fontSize, space_after=6),
        Paragraph(escape(summary), styles["table"]),
        Spacer(1, 8),
        pdf_table(table, width, _index_style(styles["table"])),
    ]
    if failed:
        story.append(Spacer(1, 8))
        story.append(
            Paragraph(
                escape(_("注意：标记为“校验失败”的文件与存档时的校验值不一致，未放入本压缩包。")), styles["table"]
            )
        )
    return builder.build(story)


def _index_style(style):
    return ParagraphStyle("index", parent=style, fontSize=8, leading=10.5)
