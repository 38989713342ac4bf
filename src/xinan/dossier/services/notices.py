"""A guardian notice (告知书) as Word and PDF, the same way the dossier writes its letters:
the school's letterhead, the notice's own text as it was sent, under the title of its purpose,
and the guardian's receipt to sign.

The files are written on demand from the stored notice (its text does not change once sent),
so nothing new is filed; every download is audited. The signed receipt, once scanned, is
uploaded to the dossier like any other paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinan.audit.services.record import record
from xinan.cases.enums import NoticePurpose
from xinan.cases.models import GuardianNotice
from xinan.dossier.services.errors import DossierError
from xinan.dossier.services.filetypes import DOCX_TYPE
from xinan.dossier.services.letters import LETTERS_DIR, Letter, Paragraph, Signatures, _fill, _values
from xinan.dossier.services.render import letter_to_docx, letter_to_pdf

RECEIPT_SIGNATURES = (gettext_lazy("监护人签名"), gettext_lazy("与学生关系"), gettext_lazy("日期"))
FORMATS = {
    "docx": (letter_to_docx, DOCX_TYPE),
    "pdf": (letter_to_pdf, "application/pdf"),
}
# A notice ends with the school's name and the date; those lines are set flush right.
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


@dataclass(frozen=True)
class NoticeFile:
    data: bytes
    content_type: str
    name: str  # what it is and which case, never whose
    fallback_name: str  # the same in ASCII


def notice_template(purpose: str) -> str:
    """The document template of the purpose (title, ``${notice}``, the receipt)."""
    if purpose not in NoticePurpose.values:
        raise DossierError(_("请选择告知事项。"))
    return (LETTERS_DIR / f"notice_{purpose}.txt").read_text(encoding="utf-8")


def _guardian_label(notice: GuardianNotice) -> str:
    guardian = notice.guardian
    if guardian is None:
        return _("家长")
    return _("%(name)s（%(relation)s）") % {"name": guardian.name, "relation": guardian.get_relation_display()}


def _notice_blocks(notice: GuardianNotice) -> list[Paragraph]:
    lines = [line.strip() for line in notice.text.replace("\r\n", "\n").split("\n") if line.strip()]
    school = notice.case.school.name
    # The sign-off: trailing lines that are the school's name or a date.
    body_end = len(lines)
    while body_end > 1 and (lines[body_end - 1] == school or _DATE_LINE.match(lines[body_end - 1])):
        body_end -= 1
    blocks = []
    for index, line in enumerate(lines):
        salutation = index == 0 and line.endswith(("：", ":"))
        blocks.append(Paragraph(line, indent=not salutation, right=index >= body_end))
    return blocks


def compose_notice(notice: GuardianNotice) -> Letter:
    case = notice.case
    values = _values(case)
    sent = timezone.localtime(notice.sent_at or notice.created_at).date()
    values |= {"guardian": _guardian_label(notice), "date": f"{sent.year}年{sent.month}月{sent.day}日"}
    blocks = {
        "notice": _notice_blocks(notice),
        "signatures": [Signatures(tuple(str(label) for label in RECEIPT_SIGNATURES))],
    }
    return _fill(notice_template(notice.purpose), values, blocks, case.school.name)


def notice_file(notice: GuardianNotice, fmt: str, *, by, request=None) -> NoticeFile:
    """The notice written as ``docx`` or ``pdf``; the download is recorded."""
    if fmt not in FORMATS:
        raise DossierError(_("不支持的文件格式。"))
    write, content_type = FORMATS[fmt]
    case = notice.case
    letter = compose_notice(notice)
    data = write(letter)
    record(
        "xinan.dossier.notice.download",
        actor=by,
        organisation=case.school,
        obj=case,
        request=request,
        after={"notice": notice.pk, "purpose": notice.purpose, "format": fmt},
    )
    return NoticeFile(
        data=data,
        content_type=content_type,
        name=f"{letter.title}-{case.reference}-{notice.pk}.{fmt}",
        fallback_name=f"notice-{case.pk}-{notice.pk}.{fmt}",
    )
