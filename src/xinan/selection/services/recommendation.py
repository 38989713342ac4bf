"""The province's recommendation: choose approved cases within the province quota (taken
and freed on the ProvinceQuota row by a conditional UPDATE, in the same transaction), generate
the summary table, upload its sealed scan, and submit to the nation, which locks it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from xinan.audit.services.record import record, record_refused_upload
from xinan.campaigns.enums import QuotaMode, SubmissionState
from xinan.campaigns.models import ProvinceQuota, Submission
from xinan.campaigns.services.campaigns import ensure_school_admitted
from xinan.campaigns.services.errors import FilingError
from xinan.campaigns.services.filing import move_submission
from xinan.crypto.files import store_encrypted
from xinan.selection.enums import SEAL_MAX_BYTES, RecommendationState
from xinan.selection.models import Recommendation, RecommendationItem
from xinan.selection.services.errors import SelectionError
from xinan.selection.services.filetypes import detect_seal_kind
from xinan.selection.services.summary import build_summary_pdf, build_summary_xlsx, summary_rows

STORAGE_FOLDER = "selection"


@dataclass(frozen=True)
class AddResult:
    item: RecommendationItem
    used: int
    quota: int

    @property
    def over_quota(self) -> bool:
        return self.used > self.quota


def open_recommendation(campaign, province, *, by, request=None) -> Recommendation:
    """The province's recommendation for this campaign, created on first use."""
    found = Recommendation.objects.filter(campaign=campaign, province=province).first()
    if found:
        return found
    try:
        with transaction.atomic():
            created = Recommendation.objects.create(campaign=campaign, province=province, created_by=by)
            record("xinan.selection.recommendation.open", actor=by, organisation=province, obj=created, request=request)
            return created
    except IntegrityError:  # a parallel request created it first
        return Recommendation.objects.get(campaign=campaign, province=province)


def _province_quota(recommendation: Recommendation) -> ProvinceQuota:
    quota, _created = ProvinceQuota.objects.get_or_create(
        campaign=recommendation.campaign,
        province=recommendation.province,
        defaults={"quota": recommendation.campaign.province_quota},
    )
    return quota


def _ensure_open(recommendation: Recommendation) -> None:
    if recommendation.state != RecommendationState.DRAFT:
        raise SelectionError(_("本省推荐已报送全国并锁定，不能再修改。"))


def _invalidate_table(recommendation: Recommendation) -> None:
    """A change of the chosen set makes the generated table (and its sealed scan) stale."""
    recommendation.set_sha256 = ""
    recommendation.verification_code = ""
    recommendation.table_generated_at = None
    recommendation.save(update_fields=["set_sha256", "verification_code", "table_generated_at"])


def add_to_recommendation(recommendation: Recommendation, submission: Submission, *, by, request=None) -> AddResult:
    """Add an approved case of the province. Hard quota: refused when full; soft: allowed, flagged over."""
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().select_related("campaign").get(pk=recommendation.pk)
        _ensure_open(locked)
        case = Submission.objects.select_related("school").get(pk=submission.pk)
        if case.campaign_id != locked.campaign_id or case.school.parent_id != locked.province_id:
            raise SelectionError(_("只能推荐本省学校在本次征集中的案例。"))
        try:
            ensure_school_admitted(locked.campaign, case.school)
        except FilingError as exc:
            raise SelectionError(exc.message) from exc
        if case.state != SubmissionState.APPROVED:
            raise SelectionError(_("只能推荐省级审核通过的案例。"))
        if RecommendationItem.objects.filter(submission=case).exists():
            raise SelectionError(_("该案例已在推荐名单中。"))
        quota = _province_quota(locked)
        slots = ProvinceQuota.objects.filter(pk=quota.pk)
        if locked.campaign.province_quota_mode == QuotaMode.HARD:
            slots = slots.filter(used__lt=F("quota"))
        if not slots.update(used=F("used") + 1):
            raise SelectionError(
                _("本省推荐名额为 %(n)s 个，已全部使用，不能再推荐。请先移出一个案例。") % {"n": quota.quota}
            )
        quota.refresh_from_db()
        last = locked.items.aggregate(last=Max("position"))["last"] or 0
        item = RecommendationItem.objects.create(recommendation=locked, submission=case, position=last + 1, added_by=by)
        _invalidate_table(locked)
        record(
            "xinan.selection.recommendation.add",
            actor=by,
            organisation=locked.province,
            obj=case,
            request=request,
            after={"recommendation": locked.pk, "used": quota.used, "quota": quota.quota},
        )
    return AddResult(item=item, used=quota.used, quota=quota.quota)


def remove_from_recommendation(recommendation: Recommendation, submission: Submission, *, by, request=None) -> None:
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        _ensure_open(locked)
        item = RecommendationItem.objects.filter(recommendation=locked, submission_id=submission.pk).first()
        if item is None:
            raise SelectionError(_("该案例不在本省推荐名单中。"))
        item.delete()
        ProvinceQuota.objects.filter(campaign_id=locked.campaign_id, province_id=locked.province_id, used__gt=0).update(
            used=F("used") - 1
        )
        for position, remaining in enumerate(locked.items.order_by("position", "pk"), start=1):
            if remaining.position != position:
                remaining.position = position
                remaining.save(update_fields=["position"])
        _invalidate_table(locked)
        record(
            "xinan.selection.recommendation.remove",
            actor=by,
            organisation=locked.province,
            obj=submission,
            request=request,
            after={"recommendation": locked.pk},
        )


def set_digest(hashes: list[str]) -> str:
    """SHA-256 of the recommended set: the submissions' own hashes, in the table's order, one per line."""
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def verification_code(recommendation: Recommendation, digest: str, generated_at) -> str:
    """A short code the nation can check against the platform: a keyed digest, never guessable."""
    value = f"{recommendation.pk}:{digest}:{generated_at.isoformat()}"
    mac = salted_hmac("xinan.selection.summary-table", value, algorithm="sha256").hexdigest().upper()
    return f"{mac[:4]}-{mac[4:8]}-{mac[8:12]}"


def generate_summary_table(recommendation: Recommendation, *, by, request=None) -> Recommendation:
    """Build the Excel and PDF summary table for the current set and store both."""
    with transaction.atomic():
        locked = (
            Recommendation.objects.select_for_update().select_related("campaign", "province").get(pk=recommendation.pk)
        )
        _ensure_open(locked)
        items = list(locked.items.select_related("submission__school", "submission__filer").order_by("position"))
        if not items:
            raise SelectionError(_("推荐名单为空，请先选择要推荐的案例。"))
        now = timezone.now()
        digest = set_digest([item.submission.submission_hash for item in items])
        code = verification_code(locked, digest, now)
        rows = summary_rows([item.submission for item in items])
        header = {
            "campaign": locked.campaign,
            "province": locked.province,
            "generated_at": now,
            "code": code,
            "digest": digest,
        }
        xlsx = store_encrypted(build_summary_xlsx(rows, **header), folder=STORAGE_FOLDER)
        pdf = store_encrypted(build_summary_pdf(rows, **header), folder=STORAGE_FOLDER)
        locked.set_sha256 = digest
        locked.verification_code = code
        locked.table_generated_at = now
        locked.xlsx_name, locked.xlsx_sha256 = xlsx.name, xlsx.sha256
        locked.pdf_name, locked.pdf_sha256 = pdf.name, pdf.sha256
        locked.save(
            update_fields=[
                "set_sha256",
                "verification_code",
                "table_generated_at",
                "xlsx_name",
                "xlsx_sha256",
                "pdf_name",
                "pdf_sha256",
            ]
        )
        record(
            "xinan.selection.recommendation.table",
            actor=by,
            organisation=locked.province,
            obj=locked,
            request=request,
            after={"set_sha256": digest, "pdf_sha256": pdf.sha256, "xlsx_sha256": xlsx.sha256, "rows": len(items)},
        )
    return locked


def upload_sealed_scan(recommendation: Recommendation, data: bytes, *, by, request=None) -> Recommendation:
    """The stamped printout, photographed or scanned: an image or a PDF, checked by its content."""
    if len(data) > SEAL_MAX_BYTES:
        raise SelectionError(_("文件太大：盖章件最大 %(mb)s MB。") % {"mb": SEAL_MAX_BYTES // (1024 * 1024)})
    try:
        kind = detect_seal_kind(data)
    except SelectionError as exc:
        record_refused_upload(
            "selection.seal",
            exc.code,
            actor=by,
            obj=recommendation,
            organisation=recommendation.province,
            request=request,
            size=len(data),
        )
        raise
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        _ensure_open(locked)
        if not locked.table_generated_at:
            raise SelectionError(_("请先生成并打印推荐汇总表，盖章后再上传。"))
        stored = store_encrypted(data, folder=STORAGE_FOLDER)
        locked.seal_name, locked.seal_sha256 = stored.name, stored.sha256
        locked.seal_content_type, locked.seal_extension = kind
        locked.seal_for_set_sha256 = locked.set_sha256
        locked.seal_uploaded_by = by
        locked.seal_uploaded_at = timezone.now()
        locked.save(
            update_fields=[
                "seal_name",
                "seal_sha256",
                "seal_content_type",
                "seal_extension",
                "seal_for_set_sha256",
                "seal_uploaded_by",
                "seal_uploaded_at",
            ]
        )
        record(
            "xinan.selection.recommendation.seal",
            actor=by,
            organisation=locked.province,
            obj=locked,
            request=request,
            after={"sha256": stored.sha256, "type": kind[0], "set_sha256": locked.set_sha256},
        )
    return locked


def submit_recommendation(recommendation: Recommendation, *, by, request=None) -> Recommendation:
    """Send the recommendation to the nation: every case moves to RECOMMENDED, the recommendation locks."""
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().select_related("province").get(pk=recommendation.pk)
        _ensure_open(locked)
        items = list(locked.items.select_related("submission").order_by("position"))
        if not items:
            raise SelectionError(_("推荐名单为空，不能报送。"))
        if not locked.table_generated_at:
            raise SelectionError(_("请先生成推荐汇总表。"))
        if set_digest([item.submission.submission_hash for item in items]) != locked.set_sha256:
            raise SelectionError(_("推荐名单已变化，请重新生成汇总表。"))
        if not locked.has_seal:
            raise SelectionError(_("请先上传盖章后的汇总表（照片或扫描件）。"))
        for item in items:
            try:
                move_submission(
                    item.submission,
                    SubmissionState.RECOMMENDED,
                    {SubmissionState.APPROVED},
                    by=by,
                    reason="",
                    request=request,
                    action="recommend",
                )
            except FilingError as exc:  # a case changed state since it was chosen: nothing is sent
                raise SelectionError(exc.message) from exc
        locked.state = RecommendationState.SUBMITTED
        locked.submitted_by = by
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["state", "submitted_by", "submitted_at"])
        record(
            "xinan.selection.recommendation.submit",
            actor=by,
            organisation=locked.province,
            obj=locked,
            request=request,
            after={"set_sha256": locked.set_sha256, "pdf_sha256": locked.pdf_sha256, "cases": len(items)},
        )
    return locked
