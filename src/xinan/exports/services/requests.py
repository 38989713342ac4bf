"""Request, decide and download a bulk export: four eyes, one download, a watermark and a
disclosure record. Each verb runs in one transaction and leaves an audit entry."""

from __future__ import annotations

import datetime as dt
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
    AUDIT_EXTRACT_MAX_DAYS,
    AUDIT_EXTRACT_MAX_ROWS,
    DISCLOSURE_WHAT,
    ORGANISATION_KINDS,
    PERMISSION_FOR_KIND,
    VALID_FOR,
    WATERMARK_PURPOSE_CHARS,
    Decision,
    ExportKind,
    Status,
)
from xinan.exports.models import ExportRequest
from xinan.exports.services import producers
from xinan.exports.services.errors import ExportError
from xinan.exports.services.queries import approvers_for
from xinan.notifications.services.outbox import notify
from xinan.organisations.models import Organisation

PURPOSE_MIN_CHARS = 5
ZIP_COMMENT_LIMIT = 65535


@dataclass(frozen=True)
class Download:
    file_name: str
    fallback_name: str
    chunks: Iterator[bytes]
    content_type: str = "application/zip"


def _audit(action: str, export_request: ExportRequest, by, request=None, **extra) -> None:
    record(
        f"xinan.export.{action}",
        actor=by,
        organisation=export_request.organisation,
        obj=export_request,
        request=request,
        **extra,
    )


def _clean_purpose(purpose: str) -> str:
    purpose = purpose.strip()
    if len(purpose) < PURPOSE_MIN_CHARS:
        raise ExportError(_("请写明导出用途（至少%(n)s个字）。") % {"n": PURPOSE_MIN_CHARS})
    return purpose


def request_dossier_export(case: Case, *, by, purpose: str, request=None) -> ExportRequest:
    purpose = _clean_purpose(purpose)
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


def _audit_period(since: dt.date | None, until: dt.date | None) -> dict:
    if since is None or until is None:
        raise ExportError(_("请选择审计日志摘录的起止日期。"))
    if since > until:
        raise ExportError(_("开始日期不能晚于结束日期。"))
    if until > timezone.localdate():
        raise ExportError(_("结束日期不能晚于今天。"))
    if (until - since).days + 1 > AUDIT_EXTRACT_MAX_DAYS:
        raise ExportError(_("一次最多导出%(n)s天的审计日志。") % {"n": AUDIT_EXTRACT_MAX_DAYS})
    return {"since": since.isoformat(), "until": until.isoformat()}


def request_organisation_export(
    kind: str,
    organisation: Organisation,
    *,
    by,
    purpose: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    request=None,
) -> ExportRequest:
    """Ask for a student list, a case list or an audit extract of ``organisation``."""
    if kind not in ORGANISATION_KINDS:
        raise ExportError(_("不支持该导出类型。"))
    kind = ExportKind(kind)
    purpose = _clean_purpose(purpose)
    if not by.has_perm(PERMISSION_FOR_KIND[kind], organisation):
        raise ExportError(_("您没有导出该数据的权限。"))
    params = _audit_period(since, until) if kind == ExportKind.AUDIT_EXTRACT else {}
    if params and producers.audit_entries(organisation, since, until).count() > AUDIT_EXTRACT_MAX_ROWS:
        raise ExportError(_("该时段的审计记录超过%(n)s条，请缩短时段，分次申请。") % {"n": AUDIT_EXTRACT_MAX_ROWS})
    target_ref = organisation.name
    if params:
        target_ref = f"{organisation.name} {params['since']}～{params['until']}"
    with transaction.atomic():
        export_request = ExportRequest.objects.create(
            kind=kind,
            organisation=organisation,
            target_ref=target_ref[:120],
            params=params,
            purpose=purpose,
            requested_by=by,
        )
        _audit("request", export_request, by, request, after={"kind": export_request.kind, **params})
        transaction.on_commit(lambda: _tell_approvers(export_request))
    return export_request


def _tell_approvers(export_request: ExportRequest) -> None:
    if export_request.kind == ExportKind.DOSSIER:
        title = _("%(name)s 申请导出个案 %(ref)s 的档案，等待您审批") % {
            "name": export_request.requested_by.name,
            "ref": export_request.target_ref,
        }
    else:
        title = _("%(name)s 申请导出%(kind)s（%(ref)s），等待您审批") % {
            "name": export_request.requested_by.name,
            "kind": ExportKind(export_request.kind).label,
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
        if locked.kind != ExportKind.DOSSIER:
            return _hand_over_workbook(locked, by=by, now=now, request=request)
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


def _hand_over_workbook(locked: ExportRequest, *, by, now, request=None) -> Download:
    """Produce the watermarked, role-redacted workbook and record it as a disclosure: the
    request row (who, what, why, when, how many) and, for the case list, each listed case."""
    kind = ExportKind(locked.kind)
    organisation = locked.organisation
    watermark = producers.Watermark(name=by.name, at=now, purpose=_short(locked.purpose), kind_label=str(kind.label))
    if kind == ExportKind.AUDIT_EXTRACT:
        produced = producers.audit_extract(
            organisation,
            by=by,
            watermark=watermark,
            since=dt.date.fromisoformat(locked.params["since"]),
            until=dt.date.fromisoformat(locked.params["until"]),
        )
    elif kind == ExportKind.CASE_LIST:
        produced = producers.case_list(organisation, by=by, watermark=watermark)
    else:
        produced = producers.student_list(organisation, by=by, watermark=watermark)
    locked.rows = produced.rows
    locked.save(update_fields=["used_at", "rows"])
    for case in produced.cases:
        try:
            add_disclosure(
                case,
                by=locked.decided_by,
                told_whom=by.name,
                what=str(DISCLOSURE_WHAT[kind]),
                why=locked.purpose,
                request=request,
            )
        except CaseError as exc:
            raise ExportError(exc.message) from exc
    _audit("download", locked, by, request, after={"kind": kind.value, "rows": produced.rows})
    stamp = f"{timezone.localtime(now):%Y%m%d-%H%M}"
    return Download(
        file_name=f"{kind.label.split('（')[0]}-{organisation.name}-{stamp}.xlsx",
        fallback_name=f"{kind.value}-{locked.pk}.xlsx",
        chunks=iter([produced.content]),
        content_type=producers.XLSX_TYPE,
    )
