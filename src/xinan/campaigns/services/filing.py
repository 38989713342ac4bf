"""Filing a case report: every write checks the deadline; submit takes a quota slot in the
same transaction as the state change; after submission nothing changes unless the province
returns it, and the history keeps every version's hash."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record, record_refused_upload
from xinan.campaigns.enums import DECLARATIONS_VERSION, EDITABLE_STATES, SLOT_STATES, SubmissionState
from xinan.campaigns.models import Campaign, FilingRight, SchoolFiling, SchoolQuota, Submission, SubmissionEvent
from xinan.campaigns.services.campaigns import ensure_school_admitted
from xinan.campaigns.services.categories import suggest_category
from xinan.campaigns.services.deadlines import filing_deadline, format_deadline
from xinan.campaigns.services.documents import read_pair
from xinan.campaigns.services.errors import FilingError
from xinan.campaigns.services.lengths import ERROR as LENGTH_ERROR
from xinan.campaigns.services.lengths import FIXED_LIMIT_CODE, length_verdict
from xinan.campaigns.services.originality import fingerprint_submission
from xinan.config.request_time import received_at
from xinan.crypto.files import StorageUnavailable, delete_stored, read_encrypted, store_encrypted
from xinan.notifications.services.outbox import queue_sms
from xinan_reportformat import parse_subtitle

BLOCKING_FLAG_SEVERITIES = frozenset({"high", "medium"})


def _right(campaign: Campaign, filer) -> FilingRight | None:
    return FilingRight.objects.filter(campaign=campaign, filer=filer).first()


def ensure_window(campaign: Campaign, filer, *, now: dt.datetime | None = None) -> FilingRight:
    """Raise unless this filer may write to this campaign right now."""
    now = now or timezone.now()
    right = _right(campaign, filer)
    if right is None or not right.is_open:
        raise FilingError(_("您没有该征集活动的填报权限，请联系本省教育主管部门。"))
    ensure_school_admitted(campaign, right.school)
    if SchoolFiling.objects.filter(campaign=campaign, school=right.school, is_open=False).exists():
        raise FilingError(_("本校的填报权限已关闭，请联系本省教育主管部门。"))
    if campaign.published_at is None or now < campaign.opens_at:
        raise FilingError(_("填报尚未开始，开始时间：%(t)s。") % {"t": format_deadline(campaign.opens_at)})
    deadline = filing_deadline(campaign, right)
    if now >= deadline:
        raise FilingError(_("填报已于 %(t)s 截止，不能再提交或修改。") % {"t": format_deadline(deadline)})
    return right


def _ensure_editable(submission: Submission) -> None:
    if submission.state not in EDITABLE_STATES:
        raise FilingError(_("案例已提交，提交后不能修改；如需修改，请联系省级管理员退回。"))


def start_submission(campaign: Campaign, *, filer, request=None) -> Submission:
    right = ensure_window(campaign, filer)
    submission = Submission.objects.create(campaign=campaign, school=right.school, filer=filer)
    _event(submission, "", SubmissionState.DRAFT, by=filer)
    record("xinan.campaign.submission.start", actor=filer, organisation=right.school, obj=submission, request=request)
    return submission


def attach_report_files(submission: Submission, *, docx: bytes, pdf: bytes, by, request=None) -> Submission:
    """Both files required; both read; same text; format and de-identification checks stored."""
    ensure_window(submission.campaign, submission.filer)
    _ensure_editable(submission)
    try:
        reading = read_pair(docx, pdf, char_limit=submission.campaign.char_limit)
    except FilingError as exc:
        record_refused_upload(
            "campaign.report", exc.code, actor=by, obj=submission, request=request, size=len(docx) + len(pdf)
        )
        raise
    try:
        stored_docx = store_encrypted(docx, folder="campaigns")
        try:
            stored_pdf = store_encrypted(pdf, folder="campaigns")
        except StorageUnavailable:
            with contextlib.suppress(OSError):  # the store is failing: the Word file may stay as an orphan
                delete_stored(stored_docx.name)
            raise
    except StorageUnavailable as exc:
        raise FilingError(str(exc.message)) from exc
    subtitle = parse_subtitle(reading.report.subtitle or "")
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        _ensure_editable(locked)
        locked.docx_name, locked.docx_sha256 = stored_docx.name, stored_docx.sha256
        locked.pdf_name, locked.pdf_sha256 = stored_pdf.name, stored_pdf.sha256
        locked.char_count = reading.char_count
        # The length is judged by the campaign's rule (services.lengths), not the checker's fixed limit.
        problems = [p for p in reading.problems if p["code"] != FIXED_LIMIT_CODE]
        locked.checks = {"problems": problems, "flags": reading.flags, "same_text": True}
        derived = _derive_info(locked, reading.report, subtitle)
        # New files: the declarations are about this report, and what was read from it is confirmed again.
        locked.declarations_version, locked.declarations_agreed_at = "", None
        locked.info_confirmed_at = None
        present = {flag_key(flag) for flag in reading.flags}
        locked.flag_decisions = {key: kept for key, kept in locked.flag_decisions.items() if key in present}
        locked.save()
        fingerprint_submission(locked, reading.report)  # compared with the others once committed
        record(
            "xinan.campaign.submission.files",
            actor=by,
            organisation=locked.school,
            obj=locked,
            request=request,
            after={
                "docx": stored_docx.sha256,
                "pdf": stored_pdf.sha256,
                "chars": reading.char_count,
                "rederived": sorted(derived),
            },
        )
    submission.refresh_from_db()
    return submission


def _derive_info(locked: Submission, report, subtitle) -> list[str]:
    """Title, subtitle, trigger and nature read from the (new) files; the names of the fields that
    changed from what was stored. The file is the authority for its own title and subtitle; the
    trigger and the nature become the campaign's categories the subtitle's words mean, and are
    cleared for the filer to choose when a new subtitle names nothing the campaign lists."""
    campaign = locked.campaign
    terms = {"trigger": subtitle.trigger or "", "nature": subtitle.nature or ""}
    values = {
        "title": (report.title or "")[:100] or locked.title,
        "subtitle": (report.subtitle or "")[:150] or locked.subtitle,
    }
    new_subtitle = values["subtitle"] != locked.subtitle
    for name, categories in (("trigger", campaign.triggers), ("nature", campaign.natures)):
        suggested = suggest_category(terms[name], categories)
        values[name] = suggested or ("" if new_subtitle and terms[name] else getattr(locked, name))
    changed = [name for name, value in values.items() if getattr(locked, name) and value != getattr(locked, name)]
    for name, value in values.items():
        setattr(locked, name, value)
    locked.checks = {**locked.checks, "subtitle_terms": terms, "rederived": changed}
    return changed


INFO_FIELDS = ("title", "subtitle", "authors", "contact_phone", "trigger", "nature", "outcome")


def update_info(submission: Submission, *, by, request=None, **info) -> Submission:
    ensure_window(submission.campaign, submission.filer)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        _ensure_editable(locked)
        for name, categories, label in (
            ("trigger", locked.campaign.triggers, _("诱发事件")),
            ("nature", locked.campaign.natures, _("危机性质")),
        ):
            if info.get(name) and info[name] not in categories:
                raise FilingError(
                    _("%(label)s“%(value)s”不是本次征集的类别，请从列表中选择（没有合适的可选“其他”）。")
                    % {"label": label, "value": info[name]}
                )
        for name in INFO_FIELDS:
            if name in info:
                setattr(locked, name, info[name])
        locked.info_confirmed_at = timezone.now()
        locked.save()
        record("xinan.campaign.submission.info", actor=by, organisation=locked.school, obj=locked, request=request)
    submission.refresh_from_db()
    return submission


def keep_flag(submission: Submission, *, key: str, reason: str, by, request=None) -> None:
    """The filer consciously keeps a de-identification flag (e.g. a 化名 the engine doubts), with a reason."""
    _ensure_editable(submission)
    if len(reason.strip()) < 4:
        raise FilingError(_("保留该标记需要写明理由。"))
    decisions = dict(submission.flag_decisions)
    decisions[key] = {"decision": "kept", "reason": reason.strip(), "at": timezone.now().isoformat()}
    submission.flag_decisions = decisions
    submission.save(update_fields=["flag_decisions", "updated_at"])
    record(
        "xinan.campaign.submission.flag_kept",
        actor=by,
        organisation=submission.school,
        obj=submission,
        request=request,
        reason=reason,
    )


def agree_declarations(submission: Submission, *, by, request=None) -> None:
    _ensure_editable(submission)
    submission.declarations_version = DECLARATIONS_VERSION
    submission.declarations_agreed_at = timezone.now()
    submission.save(update_fields=["declarations_version", "declarations_agreed_at", "updated_at"])
    record(
        "xinan.campaign.submission.declare",
        actor=by,
        organisation=submission.school,
        obj=submission,
        request=request,
        after={"version": DECLARATIONS_VERSION},
    )


FILE_KINDS = {"docx": "docx", "pdf": "pdf"}


def read_own_file(submission: Submission, kind: str, *, by, request=None) -> tuple[bytes, str]:
    """The submission's stored Word or PDF file for its filer, with a download name; audited."""
    name, sha256 = (
        (submission.docx_name, submission.docx_sha256)
        if kind == "docx"
        else (submission.pdf_name, submission.pdf_sha256)
    )
    if not name:
        raise FilingError(_("该案例尚未上传此文件。"))
    data = read_encrypted(name, sha256=sha256)
    record(
        "xinan.campaign.submission.download",
        actor=by,
        organisation=submission.school,
        obj=submission,
        request=request,
        after={"kind": kind, "sha256": sha256},
    )
    title = submission.title or _("案例报告")
    return data, f"{title}.{FILE_KINDS[kind]}"


def flag_key(flag: dict) -> str:
    return f"{flag['kind']}:{flag['text']}"


def unresolved(submission: Submission) -> list[str]:
    """Why this submission cannot be submitted yet (Chinese), empty when it can."""
    reasons = []
    if not (submission.docx_name and submission.pdf_name):
        reasons.append(_("需要同时上传 Word（.docx）和 PDF 两种格式的案例报告。"))
    missing = [
        label
        for name, label in (
            ("title", _("主标题")),
            ("subtitle", _("副标题")),
            ("authors", _("作者")),
            ("contact_phone", _("联系电话")),
            ("trigger", _("诱发事件")),
            ("nature", _("危机性质")),
            ("outcome", _("干预结果")),
        )
        if not getattr(submission, name)
    ]
    if missing:
        reasons.append(_("请填写：%(f)s。") % {"f": "、".join(missing)})
    for name, categories, label in (
        ("trigger", submission.campaign.triggers, _("诱发事件")),
        ("nature", submission.campaign.natures, _("危机性质")),
    ):
        value = getattr(submission, name)
        if value and value not in categories:
            reasons.append(
                _("%(label)s“%(value)s”不是本次征集的类别，请在基本信息中重新选择。") % {"label": label, "value": value}
            )
    if submission.docx_name and submission.info_confirmed_at is None:
        reasons.append(_("已上传新的报告文件，请核对并保存项目基本信息（标题、类别等已按新文件更新）。"))
    for problem in submission.checks.get("problems", []):
        if problem.get("severity") == "error" and problem.get("code") != FIXED_LIMIT_CODE:
            reasons.append(problem["message"])
    length = length_verdict(submission.campaign, submission.char_count)
    if length.level == LENGTH_ERROR:
        reasons.append(length.message)
    open_flags = [
        flag
        for flag in submission.checks.get("flags", [])
        if flag["severity"] in BLOCKING_FLAG_SEVERITIES and flag_key(flag) not in submission.flag_decisions
    ]
    if open_flags:
        reasons.append(
            _("还有 %(n)s 处可能泄露隐私的内容未处理，请修改报告后重新上传，或写明理由保留。") % {"n": len(open_flags)}
        )
    if submission.declarations_version != DECLARATIONS_VERSION or not submission.declarations_agreed_at:
        reasons.append(_("请阅读并确认申报声明。"))
    return reasons


def _fingerprint(submission: Submission) -> str:
    payload = {
        "docx": submission.docx_sha256,
        "pdf": submission.pdf_sha256,
        "title": submission.title,
        "subtitle": submission.subtitle,
        "authors": submission.authors,
        "trigger": submission.trigger,
        "nature": submission.nature,
        "outcome": submission.outcome,
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _event(submission: Submission, src: str, to: str, *, by, reason: str = "") -> SubmissionEvent:
    return SubmissionEvent.objects.create(
        submission=submission,
        from_state=src,
        to_state=to,
        by=by,
        reason=reason,
        submission_hash=submission.submission_hash,
        docx_name=submission.docx_name,
        pdf_name=submission.pdf_name,
    )


def _take_school_slot(submission: Submission) -> None:
    quota, _created = SchoolQuota.objects.get_or_create(
        campaign=submission.campaign, school=submission.school, defaults={"quota": submission.campaign.school_quota}
    )
    taken = SchoolQuota.objects.filter(pk=quota.pk, used__lt=F("quota")).update(used=F("used") + 1)
    if not taken:
        raise FilingError(_("本校在本次征集中已提交 %(n)s 个案例，达到每校限报数量，不能再提交。") % {"n": quota.quota})


def _free_school_slot(submission: Submission) -> None:
    SchoolQuota.objects.filter(campaign=submission.campaign, school=submission.school, used__gt=0).update(
        used=F("used") - 1
    )


def submit(submission: Submission, *, by, request=None) -> Submission:
    with transaction.atomic():
        locked = Submission.objects.select_for_update().select_related("campaign").get(pk=submission.pk)
        # The deadline is judged by when the proxy received the press, not when a busy server got to it.
        ensure_window(locked.campaign, locked.filer, now=received_at(request))
        ensure_school_admitted(locked.campaign, locked.school)  # the draft's school, not only the right's
        _ensure_editable(locked)
        reasons = unresolved(locked)
        if reasons:
            raise FilingError(" ".join(reasons))
        src = locked.state
        if src not in SLOT_STATES:  # a returned submission keeps the slot it already holds
            _take_school_slot(locked)
        locked.state = SubmissionState.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.revision += 1
        locked.submission_hash = _fingerprint(locked)
        locked.save(update_fields=["state", "submitted_at", "revision", "submission_hash", "updated_at"])
        _event(locked, src, SubmissionState.SUBMITTED, by=by)
        record(
            "xinan.campaign.submission.submit",
            actor=by,
            organisation=locked.school,
            obj=locked,
            request=request,
            after={"hash": locked.submission_hash, "revision": locked.revision},
        )
        _tell_filer(locked, "campaign_received", key=f"received-{locked.pk}-{locked.revision}")
    submission.refresh_from_db()
    return submission


def return_for_revision(submission: Submission, *, by, reason: str, request=None) -> Submission:
    if len(reason.strip()) < 4:
        raise FilingError(_("退回修改需要写明原因。"))
    moved = move_submission(
        submission,
        SubmissionState.RETURNED,
        {SubmissionState.SUBMITTED},
        by=by,
        reason=reason,
        request=request,
        action="return",
    )
    transaction.on_commit(
        lambda: queue_sms(
            moved.filer.phone,
            "campaign_returned",
            {"title": moved.title},
            user=moved.filer,
            dedupe_key=f"returned-{moved.pk}-{moved.revision}",
        )
    )
    return moved


def reject(submission: Submission, *, by, reason: str, request=None) -> Submission:
    if len(reason.strip()) < 4:
        raise FilingError(_("不予通过需要写明原因。"))
    return move_submission(
        submission,
        SubmissionState.REJECTED,
        {SubmissionState.SUBMITTED},
        by=by,
        reason=reason,
        request=request,
        action="reject",
        frees_slot=True,
    )


def withdraw(submission: Submission, *, by, request=None) -> Submission:
    return move_submission(
        submission,
        SubmissionState.WITHDRAWN,
        {SubmissionState.DRAFT, SubmissionState.SUBMITTED, SubmissionState.RETURNED},
        by=by,
        reason="",
        request=request,
        action="withdraw",
        frees_slot=True,
    )


def move_submission(submission, to, allowed_from, *, by, reason, request, action, frees_slot=False) -> Submission:
    """The one function that changes a submission's state: locked row, allowed-from check, slot
    freed when asked, history row, audit entry (xinan.campaign.submission.<action>)."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.state not in allowed_from:
            raise FilingError(
                _("该案例当前状态为“%(s)s”，不能执行此操作。") % {"s": SubmissionState(locked.state).label}
            )
        src = locked.state
        if frees_slot and src in SLOT_STATES:
            _free_school_slot(locked)
        locked.state = to
        locked.save(update_fields=["state", "updated_at"])
        _event(locked, src, to, by=by, reason=reason)
        record(
            f"xinan.campaign.submission.{action}",
            actor=by,
            organisation=locked.school,
            obj=locked,
            request=request,
            reason=reason,
        )
        if to in TOLD_STATES:
            stamp = locked.events.order_by("-pk").values_list("pk", flat=True).first()
            _tell_filer(locked, "campaign_decision", key=f"decision-{locked.pk}-{stamp}")
    submission.refresh_from_db()
    return submission


# Decisions the filer hears of (a return has its own message, with the reason to read on the page).
TOLD_STATES = frozenset(
    {SubmissionState.APPROVED, SubmissionState.REJECTED, SubmissionState.RECOMMENDED, SubmissionState.SELECTED}
)


def _tell_filer(submission: Submission, template: str, *, key: str) -> None:
    """In-app and SMS, after commit, once: the SMS carries the title and the state, nothing else."""
    from django.urls import reverse

    from xinan.notifications.services.outbox import notify

    state = SubmissionState(submission.state).label
    title = submission.title or _("（未命名）")
    url = reverse("campaigns:submission", args=[submission.pk])

    def send() -> None:
        notify(submission.filer, _("案例“%(t)s”：%(s)s") % {"t": title, "s": state}, url=url, dedupe_key=key)
        queue_sms(
            submission.filer.phone,
            template,
            {"title": title, "state": state},
            user=submission.filer,
            dedupe_key=f"sms-{key}",
        )

    transaction.on_commit(send)
