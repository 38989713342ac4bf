"""Filing a document in a case's dossier, and reading it back verified."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from django.db import transaction
from django.utils.translation import gettext as _

from xinan.audit.services.record import record, record_refused_upload
from xinan.cases.models import Case, GuardianAgreement, Referral, SafetyPlan
from xinan.cases.services import safety
from xinan.cases.services.errors import CaseError
from xinan.crypto.files import (
    ChecksumMismatch,
    StorageUnavailable,
    delete_stored,
    read_encrypted,
    store_encrypted,
)
from xinan.dossier.enums import DocumentSlot, LetterKind, size_limit
from xinan.dossier.models import Document
from xinan.dossier.services.errors import DossierError
from xinan.dossier.services.filetypes import Detected, check_allowed, detect

logger = logging.getLogger(__name__)

STORAGE_FOLDER = "dossier"
MAX_NAME_LENGTH = 120
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


class FileTooLarge(DossierError):
    pass


def read_limited(chunks: Iterable[bytes], *, limit: int) -> bytes:
    """Join an upload's chunks, stopping as soon as it passes ``limit`` bytes."""
    parts, total = [], 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise FileTooLarge(too_large_message(limit))
        parts.append(chunk)
    return b"".join(parts)


def too_large_message(limit: int) -> str:
    return _("文件太大：这一类资料每个文件最大 %(mb)s MB。") % {"mb": limit // (1024 * 1024)}


def safe_file_name(name: str, extension: str) -> str:
    """A file name a user can be given: no path, no control characters, the extension of
    the content that was detected (a .pdf that is really a .docx is named .docx)."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" ._")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:MAX_NAME_LENGTH].strip(" ._") or _("资料")
    return f"{stem}.{extension}"


def content_disposition(filename: str, *, fallback: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", fallback) or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_name(document: Document) -> str:
    return safe_file_name(document.original_name, document.extension)


def ascii_download_name(document: Document) -> str:
    return f"dossier-{document.case_id}-{document.pk}.{document.extension}"


def _file(
    case: Case,
    *,
    slot: str,
    data: bytes,
    detected: Detected,
    original_name: str,
    by,
    note: str = "",
    generated: bool = False,
    letter_kind: str = "",
    safety_plan: SafetyPlan | None = None,
    guardian_agreement: GuardianAgreement | None = None,
    referral: Referral | None = None,
    request=None,
) -> Document:
    stored = store_encrypted(data, folder=STORAGE_FOLDER)
    # The bytes are in storage before the row exists: if the row is not written, take them back.
    # (Should a caller's outer transaction roll back later, the bytes stay as an orphan with a
    # random name and no key to anything; they hold no plaintext.)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                case=case,
                slot=slot,
                safety_plan=safety_plan,
                guardian_agreement=guardian_agreement,
                referral=referral,
                storage_name=stored.name,
                sha256=stored.sha256,
                size=stored.size,
                content_type=detected.content_type,
                extension=detected.extension,
                original_name=safe_file_name(original_name, detected.extension),
                uploaded_by=by,
                generated=generated,
                letter_kind=letter_kind,
                note=note,
            )
            if not generated:
                if safety_plan is not None and safety_plan.signed_at is None:
                    safety.mark_safety_plan_signed(safety_plan, by=by, request=request)
                if guardian_agreement is not None and guardian_agreement.signed_at is None:
                    safety.mark_guardian_agreement_signed(guardian_agreement, by=by, request=request)
            record(
                "xinan.dossier.generate" if generated else "xinan.dossier.upload",
                actor=by,
                organisation=case.school,
                obj=case,
                request=request,
                after={
                    "document": document.pk,
                    "slot": slot,
                    "letter": letter_kind or None,
                    "size": stored.size,
                    "sha256": stored.sha256,
                    "safety_plan_version": safety_plan.version if safety_plan else None,
                    "guardian_agreement": guardian_agreement.pk if guardian_agreement else None,
                },
            )
    except BaseException:
        delete_stored(stored.name)
        raise
    return document


def upload_document(
    case: Case,
    *,
    slot: str,
    chunks: Iterable[bytes],
    original_name: str,
    by,
    note: str = "",
    safety_plan: SafetyPlan | None = None,
    guardian_agreement: GuardianAgreement | None = None,
    request=None,
) -> Document:
    """File an uploaded document: read within the slot's size limit, check its type by content,
    store it encrypted, and mark the plan or agreement it is the signed scan of as signed."""
    try:
        slot = DocumentSlot(slot)
    except ValueError as exc:
        raise DossierError(_("请选择资料类别。")) from exc
    if safety_plan is not None and (slot != DocumentSlot.SAFETY_PLAN or safety_plan.case_id != case.pk):
        raise DossierError(_("只有“安全计划书（学生）”可以关联安全计划书版本。"))
    if guardian_agreement is not None and (
        slot != DocumentSlot.GUARDIAN_AGREEMENT or guardian_agreement.case_id != case.pk
    ):
        raise DossierError(_("只有“安全协议书（监护人）”可以关联监护人安全协议书。"))
    try:
        data = read_limited(chunks, limit=size_limit(slot))
        detected = detect(data)
    except DossierError as exc:
        code = exc.code or ("file.too_large" if isinstance(exc, FileTooLarge) else "dossier.refused")
        record_refused_upload("dossier", code, actor=by, obj=case, request=request)
        raise
    check_allowed(slot, detected)
    try:
        return _file(
            case,
            slot=slot,
            data=data,
            detected=detected,
            original_name=original_name,
            by=by,
            note=note.strip(),
            safety_plan=safety_plan,
            guardian_agreement=guardian_agreement,
            request=request,
        )
    except CaseError as exc:
        raise DossierError(exc.message) from exc
    except StorageUnavailable as exc:
        raise DossierError(str(exc.message)) from exc


def file_generated(
    case: Case,
    *,
    kind: LetterKind,
    slot: DocumentSlot,
    data: bytes,
    detected: Detected,
    name: str,
    by,
    safety_plan=None,
    guardian_agreement=None,
    referral=None,
    request=None,
) -> Document:
    return _file(
        case,
        slot=slot,
        data=data,
        detected=detected,
        original_name=name,
        by=by,
        generated=True,
        letter_kind=kind,
        safety_plan=safety_plan,
        guardian_agreement=guardian_agreement,
        referral=referral,
        request=request,
    )


def document_bytes(document: Document) -> bytes:
    """The plaintext, verified against the checksum taken when it was stored."""
    try:
        return read_encrypted(document.storage_name, sha256=document.sha256)
    except ChecksumMismatch as exc:
        logger.error("dossier document %s failed its checksum", document.pk)
        raise DossierError(
            _("该文件的校验值与存档时不一致，文件可能已损坏或被篡改，已停止下载。请联系系统管理员。")
        ) from exc
    except Exception as exc:  # an unreadable token or a missing file is the same problem for the reader
        logger.error("dossier document %s could not be read (%s)", document.pk, type(exc).__name__)
        raise DossierError(_("该文件无法读取，可能已损坏或丢失，已停止下载。请联系系统管理员。")) from exc


def download_document(document: Document, *, by, request=None) -> bytes:
    data = document_bytes(document)
    record(
        "xinan.dossier.download",
        actor=by,
        organisation=document.case.school,
        obj=document.case,
        request=request,
        after={"document": document.pk, "slot": document.slot},
    )
    return data
