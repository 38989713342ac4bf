"""Request, decide and download a bulk export: four eyes, one download, a watermark and a
disclosure record. Each verb runs in one transaction and leaves an audit entry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.cases.models import Case
from xinan.cases.services.errors import CaseError
from xinan.cases.services.records import add_disclosure
from xinan.dossier.services.export import export_file_name, plan_entries, stream_archive
from xinan.dossier.services.queries import documents_in_order
from xinan.exports.enums import (
    DISCLOSURE_WHAT,
    PERMISSION_FOR_KIND,
    VALID_FOR,
    WATERMARK_PURPOSE_CHARS,
    Decision,
    ExportKind,
    Status,
)
from xinan.exports.models import ExportRequest
from xinan.exports.services.errors import ExportError
from xinan.exports.services.queries import approvers_for
from xinan.notifications.services.outbox import notify

PURPOSE_MIN_CHARS = 5
ZIP_COMMENT_LIMIT = 65535


@dataclass(frozen=True)
class Download:
    file_name: str
    fallback_name: str
    chunks: Iterator[bytes]


def _audit(action: str, export_request: ExportRequest, by, request=None, **extra) -> None:
    record(
        f"xinan.export.{action}",
        actor=by,
        organisation=export_request.organisation,
        obj=export_request,
        request=request,
        **extra,
    )


def request_dossier_export(case: Case, *, by, purpose: str, request=None) -> ExportRequest:
    purpose = purpose.strip()
    if len(purpose) < PURPOSE_MIN_CHARS:
        raise ExportError(_("请写明导出用途（至少%(n)s个字）。") % {"n": PURPOSE_MIN_CHARS})
    if not by.has_perm(PERMISSION_FOR_KIND[ExportKind.DOSSIER], case):
        raise ExportError(_("您没有导出该个案档案的权限。"))
    with transaction.atomic():
        export_request = ExportRequest.objects.create(
            kind=ExportKind.DOSSIER,
            case=case,
            organisation=case.school,
            target_ref=case.reference,
            purpose=purpose,
            requested_by=by,
        )
        _audit("request", export_request, by, request, after={"kind": export_request.kind})
        transaction.on_commit(lambda: _tell_approvers(export_request))
    return export_request


def _tell_approvers(export_request: ExportRequest) -> None:
    title = _("%(name)s 申请导出个案 %(ref)s 的档案，等待您审批") % {
        "name": export_request.requested_by.name,
        "ref": export_request.target_ref,
    }
    for person in approvers_for(export_request):
        notify(
            person, title, url=reverse("exports:pending"), dedupe_key=f"export-request-{export_request.pk}-{person.pk}"
        )


def _lock_undecided(export_request: ExportRequest, by) -> ExportRequest:
    locked = (
        ExportRequest.objects.select_for_update(of=("self",))
        .select_related("case", "organisation")
        .get(pk=export_request.pk)
    )
    if locked.requested_by_id == by.pk:
        raise ExportError(_("导出申请须由另一位有导出权限的负责人审批，不能审批自己的申请。"))
    if locked.decision:
        raise ExportError(_("该申请已经审批过了。"))
    if not by.has_perm("exports.decide_exportrequest", locked):
        raise ExportError(_("您没有审批该导出申请的权限。"))
    return locked


def _tell_requester(export_request: ExportRequest) -> None:
    if export_request.decision == Decision.APPROVED:
        title = _("您的导出申请（%(ref)s）已批准，请在有效期内下载") % {"ref": export_request.target_ref}
    else:
        title = _("您的导出申请（%(ref)s）未获批准") % {"ref": export_request.target_ref}
    notify(
        export_request.requested_by,
        title,
        url=reverse("exports:mine"),
        dedupe_key=f"export-decided-{export_request.pk}",
    )


def approve_export(export_request: ExportRequest, *, by, reason: str = "", request=None) -> ExportRequest:
    with transaction.atomic():
        locked = _lock_undecided(export_request, by)
        now = timezone.now()
        locked.decision = Decision.APPROVED
        locked.decided_by = by
        locked.decided_at = now
        locked.decision_reason = reason.strip()
        locked.valid_until = now + VALID_FOR
        if locked.case_id:
            try:
                locked.disclosure = add_disclosure(
                    locked.case,
                    by=by,
                    told_whom=locked.requested_by.name,
                    what=str(DISCLOSURE_WHAT[ExportKind(locked.kind)]),
                    why=locked.purpose,
                    request=request,
                )
            except CaseError as exc:
                raise ExportError(exc.message) from exc
        locked.save()
        _audit("approve", locked, by, request, after={"valid_until": locked.valid_until.isoformat()})
        transaction.on_commit(lambda: _tell_requester(locked))
    return locked


def refuse_export(export_request: ExportRequest, *, by, reason: str, request=None) -> ExportRequest:
    if not reason.strip():
        raise ExportError(_("拒绝时请写明理由。"))
    with transaction.atomic():
        locked = _lock_undecided(export_request, by)
        locked.decision = Decision.REFUSED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_reason = reason.strip()
        locked.save()
        _audit("refuse", locked, by, request)
        transaction.on_commit(lambda: _tell_requester(locked))
    return locked


def watermark_text(name: str, at, purpose: str) -> str:
    """导出人 姓名 · 时间 · 用途 — on every page of the index and in the ZIP comment."""
    return _("导出人 %(name)s · %(at)s · 用途：%(purpose)s") % {
        "name": name,
        "at": f"{timezone.localtime(at):%Y-%m-%d %H:%M}",
        "purpose": purpose,
    }


def _short(purpose: str) -> str:
    purpose = " ".join(purpose.split())
    if len(purpose) <= WATERMARK_PURPOSE_CHARS:
        return purpose
    return purpose[:WATERMARK_PURPOSE_CHARS] + "…"


def with_zip_comment(chunks: Iterator[bytes], comment: bytes) -> Iterator[bytes]:
    """Set the archive comment on a streamed ZIP written without one: the stream ends with the
    end-of-central-directory record, whose last two bytes are the (zero) comment length."""
    comment = comment[:ZIP_COMMENT_LIMIT]
    pending = b""
    for chunk in chunks:
        if not chunk:
            continue
        if pending:
            yield pending
        pending = chunk
    if not pending.endswith(b"\x00\x00"):
        raise ValueError("archive already carries a comment")
    yield pending[:-2] + len(comment).to_bytes(2, "little") + comment


def download_export(export_request: ExportRequest, *, by, request=None) -> Download:
    """Mark the one download and hand over the watermarked archive."""
    with transaction.atomic():
        locked = (
            ExportRequest.objects.select_for_update(of=("self",))
            .select_related("case__school", "organisation")
            .get(pk=export_request.pk)
        )
        if locked.requested_by_id != by.pk:
            raise ExportError(_("只有申请人本人可以下载。"))
        status = locked.status()
        if status == Status.PENDING:
            raise ExportError(_("该导出申请尚未审批，不能下载。"))
        if status == Status.REFUSED:
            raise ExportError(_("该导出申请未获批准。"))
        if status == Status.USED:
            raise ExportError(_("该导出已经下载过一次，不能重复下载；如需再次导出，请重新申请。"))
        if status == Status.EXPIRED:
            raise ExportError(_("该导出已超过有效期，请重新申请。"))
        now = timezone.now()
        locked.used_at = now
        locked.save(update_fields=["used_at"])
        case = locked.case
        documents = documents_in_order(case)
        after = {"documents": len(documents), "bytes": sum(d.size for d in documents)}
        _audit("download", locked, by, request, after=after)
        record("xinan.dossier.export", actor=by, organisation=case.school, obj=case, request=request, after=after)
    purpose = _short(locked.purpose)
    # The index adds the time of export itself: "导出人 姓名 · 用途：… · 时间 导出".
    index_mark = _("导出人 %(name)s · 用途：%(purpose)s ·") % {"name": by.name, "purpose": purpose}
    chunks = stream_archive(case, plan_entries(documents), exported_by=index_mark)
    comment = watermark_text(by.name, now, locked.purpose).encode("utf-8")
    return Download(
        file_name=export_file_name(case),
        fallback_name=f"dossier-{case.pk}.zip",
        chunks=with_zip_comment(chunks, comment),
    )
