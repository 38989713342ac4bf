"""The clinical wall: counselling notes stay with counselling staff; sharing a chosen
excerpt with the crisis team is an explicit, audited act with a reason."""

from __future__ import annotations

from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.cases.models import Case, CounsellingNote, SharedExcerpt
from xinan.cases.services.errors import CaseError

SHARE_AUDIT_REASON = "见共享记录"


def add_note(case: Case, *, by, text: str, request=None) -> CounsellingNote:
    if not text.strip():
        raise CaseError(_("咨询记录不能为空。"))
    note = CounsellingNote.objects.create(case=case, author=by, text=text)
    record("xinan.case.counselling_note.add", actor=by, organisation=case.school, obj=case, request=request)
    return note


def share_excerpt(note: CounsellingNote, *, by, excerpt: str, reason: str, request=None) -> SharedExcerpt:
    excerpt = excerpt.strip()
    if not excerpt or excerpt not in note.text:
        raise CaseError(_("共享内容必须是该条咨询记录中的原文摘录。"))
    if len(excerpt) > len(note.text) * 0.8 and len(note.text) > 50:
        raise CaseError(_("请只摘录团队需要知道的部分，而不是整条记录。"))
    if len(reason.strip()) < 5:
        raise CaseError(_("请写明共享给危机干预小组的理由。"))
    shared = SharedExcerpt.objects.create(note=note, case=note.case, excerpt=excerpt, reason=reason, shared_by=by)
    record(
        "xinan.case.counselling_note.share",
        actor=by,
        organisation=note.case.school,
        obj=note.case,
        request=request,
        # The audit trail is append-only and not encrypted: the reason stays (encrypted) with the
        # shared excerpt, which the entry points to.
        reason=SHARE_AUDIT_REASON,
        after={"shared_excerpt": shared.pk, "note": note.pk},
    )
    return shared
