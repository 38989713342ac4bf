"""Generating a letter or form from the case, filed in the dossier as Word and PDF."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from xinan.cases.models import Case
from xinan.dossier.enums import LETTER_SLOTS, FileKind, LetterKind
from xinan.dossier.models import Document
from xinan.dossier.services.documents import file_generated
from xinan.dossier.services.errors import DossierError
from xinan.dossier.services.filetypes import DOCX_TYPE, Detected
from xinan.dossier.services.letters import compose_letter
from xinan.dossier.services.render import letter_to_docx, letter_to_pdf

SAFETY_PLAN_KINDS = frozenset({LetterKind.SAFETY_PLAN_STUDENT, LetterKind.SAFETY_PLAN_SCHOOL})
DOCX = Detected(FileKind.DOCX, DOCX_TYPE, "docx")
PDF = Detected(FileKind.PDF, "application/pdf", "pdf")


def _source(case: Case, kind: LetterKind, source_id: int | None):
    """The record the letter is written from, which must belong to this case."""
    if kind in SAFETY_PLAN_KINDS:
        plans = case.safety_plans.order_by("-version")
        plan = plans.filter(pk=source_id).first() if source_id else plans.first()
        if plan is None:
            raise DossierError(_("请先在个案中保存安全计划书，再生成文书。"))
        return plan
    if kind == LetterKind.GUARDIAN_AGREEMENT:
        agreements = case.guardian_agreements.select_related("guardian").order_by("-created_at", "-pk")
        agreement = agreements.filter(pk=source_id).first() if source_id else agreements.first()
        if agreement is None:
            raise DossierError(_("请先在个案中创建监护人安全协议书，再生成文书。"))
        return agreement
    if kind == LetterKind.REFERRAL_LETTER:
        referrals = case.referrals.order_by("-referred_at", "-pk")
        referral = referrals.filter(pk=source_id).first() if source_id else referrals.first()
        if referral is None:
            raise DossierError(_("请先在个案中填写转介信息，再生成转介建议书。"))
        return referral
    return None


def generate_letter(case: Case, kind: LetterKind | str, *, by, source_id: int | None = None, request=None):
    """Write the letter as .docx and PDF and file both; returns (word, pdf) documents."""
    try:
        kind = LetterKind(kind)
    except ValueError as exc:
        raise DossierError(_("请选择要生成的文书。")) from exc
    source = _source(case, kind, source_id)
    letter = compose_letter(case, kind, source=source)
    word, pdf = letter_to_docx(letter), letter_to_pdf(letter)
    # The file name says what it is and which case, never whose.
    name = f"{kind.label}-{case.reference}"
    if kind in SAFETY_PLAN_KINDS:
        name += _("-第%(v)s版") % {"v": source.version}
    links = {
        "safety_plan": source if kind in SAFETY_PLAN_KINDS else None,
        "guardian_agreement": source if kind == LetterKind.GUARDIAN_AGREEMENT else None,
        "referral": source if kind == LetterKind.REFERRAL_LETTER else None,
    }
    with transaction.atomic():
        documents: list[Document] = [
            file_generated(
                case,
                kind=kind,
                slot=LETTER_SLOTS[kind],
                data=data,
                detected=detected,
                name=f"{name}.{detected.extension}",
                by=by,
                request=request,
                **links,
            )
            for data, detected in ((word, DOCX), (pdf, PDF))
        ]
    return documents[0], documents[1]
