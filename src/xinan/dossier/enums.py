"""The dossier's typed slots (seed 001, 五(三) 资料备案), the generated letters and the file kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentSlot(models.TextChoices):
    """Where a document is filed in the dossier, in the order the seed lists them."""

    LEAVE_RECORD = "leave_record", _("请假情况记录")
    REFERRAL_LETTER = "referral_letter", _("转介建议书")
    DIAGNOSIS_CERTIFICATE = "diagnosis_certificate", _("病情诊断证明")
    SAFETY_PLAN = "safety_plan", _("安全计划书（学生）")
    GUARDIAN_AGREEMENT = "guardian_agreement", _("安全协议书（监护人）")
    INTERVENTION_RECORD = "intervention_record", _("危机干预记录表")
    CALL_RECORDING = "call_recording", _("电话录音")
    TALK_RECORDING = "talk_recording", _("谈话录音")
    HOME_SCHOOL_RECORD = "home_school_record", _("家校沟通记录")
    CHAT_MESSAGES = "chat_messages", _("微信/QQ文字资料")
    PHOTO = "photo", _("照片和图片")
    STATUS_PAPERS = "status_papers", _("休学/退学/转学/复学材料")
    OTHER = "other", _("其他")


SLOT_ORDER = list(DocumentSlot)


class FileKind(models.TextChoices):
    """What a file is, told from its content (never from its name)."""

    PDF = "pdf", _("PDF 文档")
    DOCX = "docx", _("Word 文档（.docx）")
    IMAGE = "image", _("图片（JPEG/PNG/WebP/HEIC）")
    AUDIO = "audio", _("录音（MP3/M4A/AMR/WAV）")
    TEXT = "text", _("纯文本（聊天记录导出）")


_PAPERS = frozenset({FileKind.PDF, FileKind.DOCX, FileKind.IMAGE})
_AUDIO = frozenset({FileKind.AUDIO})

# Which kinds of file each slot accepts.
ALLOWED_KINDS: dict[DocumentSlot, frozenset[FileKind]] = {
    DocumentSlot.LEAVE_RECORD: _PAPERS,
    DocumentSlot.REFERRAL_LETTER: _PAPERS,
    DocumentSlot.DIAGNOSIS_CERTIFICATE: _PAPERS,
    DocumentSlot.SAFETY_PLAN: _PAPERS,
    DocumentSlot.GUARDIAN_AGREEMENT: _PAPERS,
    DocumentSlot.INTERVENTION_RECORD: _PAPERS,
    DocumentSlot.CALL_RECORDING: _AUDIO,
    DocumentSlot.TALK_RECORDING: _AUDIO,
    DocumentSlot.HOME_SCHOOL_RECORD: _PAPERS | {FileKind.TEXT},
    DocumentSlot.CHAT_MESSAGES: frozenset({FileKind.TEXT, FileKind.IMAGE, FileKind.PDF}),
    DocumentSlot.PHOTO: frozenset({FileKind.IMAGE}),
    DocumentSlot.STATUS_PAPERS: _PAPERS,
    DocumentSlot.OTHER: frozenset(FileKind),
}

MB = 1024 * 1024
DEFAULT_SIZE_LIMIT = 20 * MB
# Recordings of a long talk are large; everything else fits in 20 MB.
SIZE_LIMITS: dict[DocumentSlot, int] = {
    DocumentSlot.CALL_RECORDING: 50 * MB,
    DocumentSlot.TALK_RECORDING: 50 * MB,
    DocumentSlot.OTHER: 50 * MB,
}
LARGEST_SIZE_LIMIT = max([DEFAULT_SIZE_LIMIT, *SIZE_LIMITS.values()])


def size_limit(slot: DocumentSlot | str) -> int:
    return SIZE_LIMITS.get(DocumentSlot(slot), DEFAULT_SIZE_LIMIT)


class LetterKind(models.TextChoices):
    """Documents the platform writes from the case (Word and PDF, school letterhead, prefilled)."""

    SAFETY_PLAN_STUDENT = "safety_plan_student", _("安全计划书（学生留存）")
    SAFETY_PLAN_SCHOOL = "safety_plan_school", _("安全计划书（学校留存）")
    GUARDIAN_AGREEMENT = "guardian_agreement", _("安全协议书（监护人）")
    REFERRAL_LETTER = "referral_letter", _("转介建议书")
    INTERVENTION_RECORD = "intervention_record", _("危机干预记录表")


LETTER_SLOTS: dict[LetterKind, DocumentSlot] = {
    LetterKind.SAFETY_PLAN_STUDENT: DocumentSlot.SAFETY_PLAN,
    LetterKind.SAFETY_PLAN_SCHOOL: DocumentSlot.SAFETY_PLAN,
    LetterKind.GUARDIAN_AGREEMENT: DocumentSlot.GUARDIAN_AGREEMENT,
    LetterKind.REFERRAL_LETTER: DocumentSlot.REFERRAL_LETTER,
    LetterKind.INTERVENTION_RECORD: DocumentSlot.INTERVENTION_RECORD,
}


AUDIT_LABELS = [
    ("xinan.dossier.view", _("查看一人一案档案")),
    ("xinan.dossier.upload", _("上传档案文件")),
    ("xinan.dossier.download", _("下载档案文件")),
    ("xinan.dossier.generate", _("生成文书")),
    ("xinan.dossier.notice.download", _("下载监护人告知书（Word/PDF）")),
    ("xinan.dossier.export", _("导出一人一案档案")),
    ("xinan.dossier.letter_template.save", _("修改文书模板")),
    ("xinan.dossier.letter_template.reset", _("恢复默认文书模板")),
]
