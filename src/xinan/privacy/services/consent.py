"""Recording and withdrawing consents, who must give them, and changing a case's lawful basis.

Each service runs in one transaction and writes one audit entry. Audit entries carry
purposes, parties and dates, never the giver's name or the withdrawal note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record, record_refused_upload
from xinan.cases.enums import LawfulBasis
from xinan.crypto.files import store_encrypted
from xinan.dossier.enums import FileKind
from xinan.dossier.services.errors import DossierError
from xinan.dossier.services.filetypes import detect
from xinan.privacy.enums import (
    GUARDIAN_CONSENT_BELOW_AGE,
    STANDARD_PURPOSES,
    ConsentGiver,
    ConsentPurpose,
    PrivacyAction,
)
from xinan.privacy.models import Consent
from xinan.privacy.services.errors import PrivacyError

PROOF_MAX_BYTES = 10 * 1024 * 1024
PROOF_KINDS = frozenset({FileKind.PDF, FileKind.IMAGE})
PROOF_FOLDER = "privacy/consents"


def student_age_on(student, day: dt.date) -> int | None:
    """The student's full years on ``day``, or None while unknown: a case whose first report named
    the student only in free text has no register entry yet, and an entry may lack the birth date."""
    return student.age_on(day) if student is not None else None


def consent_required_from(student, day: dt.date) -> ConsentGiver:
    """Who must consent on ``day``: the guardian while the student is under 14, else the student.

    With no register entry or no birth date the age cannot be shown, so the student is treated as
    a child and the guardian is asked (the safe side) until the team links the register entry."""
    age = student_age_on(student, day)
    if age is None or age < GUARDIAN_CONSENT_BELOW_AGE:
        return ConsentGiver.GUARDIAN
    return ConsentGiver.STUDENT


def check_proof(data: bytes) -> str:
    """The content type of an acceptable proof (a PDF or an image), told from its content."""
    if len(data) > PROOF_MAX_BYTES:
        raise PrivacyError(_("同意凭证文件过大（上限 10 MB），请压缩或分页扫描后再上传。"))
    try:
        detected = detect(data)
    except DossierError as error:
        raise PrivacyError(error.message, code=error.code or "file.refused") from error
    if detected.kind not in PROOF_KINDS:
        raise PrivacyError(_("同意凭证只接受 PDF 或图片（扫描件、照片）。"))
    return detected.content_type


def record_consent(*, case, actor, proof: bytes | None = None, **details) -> Consent:
    """Record a consent (see ``_record_consent``); a refused proof file is audited once the
    consent's transaction has rolled back, so that the audit row stays."""
    try:
        return _record_consent(case=case, actor=actor, proof=proof, **details)
    except PrivacyError as error:
        if error.code:
            record_refused_upload("privacy.consent", error.code, actor=actor, obj=case, size=len(proof or b""))
        raise


@transaction.atomic
def _record_consent(
    *,
    case,
    purpose: str,
    given_by: str,
    giver_name: str,
    given_on: dt.date,
    form: str,
    actor,
    giver_relation: str = "",
    purpose_other: str = "",
    proof: bytes | None = None,
) -> Consent:
    if purpose not in ConsentPurpose.values:
        raise PrivacyError(_("请选择同意的用途。"))
    if purpose == ConsentPurpose.OTHER and not purpose_other.strip():
        raise PrivacyError(_("选择“其他用途”时，请写明具体用途。"))
    if given_on > timezone.localdate():
        raise PrivacyError(_("同意日期不能晚于今天。"))
    if not giver_name.strip():
        raise PrivacyError(_("请填写同意人姓名。"))
    required = consent_required_from(case.student, given_on)
    if given_by != required:
        if required == ConsentGiver.GUARDIAN:
            raise PrivacyError(
                _(
                    "该学生在同意之日未满十四周岁（或出生日期未登记），依法应由其监护人作出同意，学生本人的同意不能作为依据。"
                )
            )
        raise PrivacyError(_("该学生在同意之日已满十四周岁，应由学生本人作出同意，不能以监护人的同意代替。"))
    if given_by == ConsentGiver.GUARDIAN and not giver_relation:
        raise PrivacyError(_("由监护人同意时，请选择监护人与学生的关系。"))
    consent = Consent(
        case=case,
        purpose=purpose,
        purpose_other=purpose_other.strip() if purpose == ConsentPurpose.OTHER else "",
        given_by=given_by,
        giver_name=giver_name.strip(),
        giver_relation=giver_relation if given_by == ConsentGiver.GUARDIAN else "",
        given_on=given_on,
        form=form,
        recorded_by=actor,
    )
    if proof:
        consent.proof_content_type = check_proof(proof)
        stored = store_encrypted(proof, folder=PROOF_FOLDER)
        consent.proof_storage_name = stored.name
        consent.proof_sha256 = stored.sha256
        consent.proof_size = stored.size
    consent.save()
    record(
        PrivacyAction.CONSENT_RECORDED,
        actor=actor,
        obj=case,
        reason=f"consent {consent.pk}",
        after={
            "consent": consent.pk,
            "purpose": purpose,
            "given_by": given_by,
            "given_on": given_on.isoformat(),
            "form": form,
            "proof": bool(proof),
        },
    )
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, note: str, actor, now: dt.datetime | None = None) -> Consent:
    consent = Consent.objects.select_for_update(of=("self",)).select_related("case").get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise PrivacyError(_("该同意已经撤回。"))
    if not note.strip():
        raise PrivacyError(_("请写明撤回的方式和经过（例如：监护人当面书面撤回）。"))
    consent.withdrawn_at = now or timezone.now()
    consent.withdrawal_note = note.strip()
    consent.withdrawal_recorded_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawal_note", "withdrawal_recorded_by"])
    record(
        PrivacyAction.CONSENT_WITHDRAWN,
        actor=actor,
        obj=consent.case,
        reason=f"consent {consent.pk}",
        after={"consent": consent.pk, "purpose": consent.purpose, "withdrawn_at": consent.withdrawn_at.isoformat()},
    )
    return consent


@transaction.atomic
def change_lawful_basis(case, *, basis: str, reason: str, actor):
    """Record a new lawful basis for processing the case, with the reason (audited)."""
    from xinan.cases.models import Case

    case = Case.objects.select_for_update().get(pk=case.pk)
    if basis not in LawfulBasis.values:
        raise PrivacyError(_("请选择处理依据。"))
    if basis == case.lawful_basis:
        raise PrivacyError(_("处理依据没有变化。"))
    if not reason.strip():
        raise PrivacyError(_("变更处理依据须写明理由。"))
    before = case.lawful_basis
    case.lawful_basis = basis
    case.save(update_fields=["lawful_basis"])
    record(
        PrivacyAction.BASIS_CHANGED,
        actor=actor,
        obj=case,
        reason=reason.strip()[:500],
        before={"lawful_basis": before},
        after={"lawful_basis": basis},
    )
    return case


@dataclass(frozen=True)
class PurposeCoverage:
    purpose: ConsentPurpose
    consent: Consent | None  # the latest consent in force for this purpose

    @property
    def covered(self) -> bool:
        return self.consent is not None


def coverage(case) -> list[PurposeCoverage]:
    """For each standard purpose, the latest consent in force (or none)."""
    active = {}
    for consent in case.consents.filter(withdrawn_at__isnull=True).order_by("given_on", "pk"):
        active[consent.purpose] = consent
    return [PurposeCoverage(purpose, active.get(purpose.value)) for purpose in STANDARD_PURPOSES]
