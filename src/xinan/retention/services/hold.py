"""The legal hold: while set, a closed case is not destroyed whatever its age."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.cases.enums import CaseState
from xinan.cases.models import Case
from xinan.retention.enums import AuditAction
from xinan.retention.services.errors import RetentionError


def set_legal_hold(case: Case, *, by, reason: str, request=None) -> Case:
    reason = reason.strip()
    if not reason:
        raise RetentionError(_("请写明保全原因。"))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.state != CaseState.CLOSED:
            raise RetentionError(_("只能对已结案的个案设置法定保全。"))
        locked.legal_hold, locked.legal_hold_reason = True, reason[:200]
        locked.save(update_fields=["legal_hold", "legal_hold_reason"])
        record(AuditAction.HOLD_SET, actor=by, obj=locked, request=request, reason=reason[:200])
    return locked


def clear_legal_hold(case: Case, *, by, reason: str, request=None) -> Case:
    reason = reason.strip()
    if not reason:
        raise RetentionError(_("请写明解除保全的原因。"))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.legal_hold:
            raise RetentionError(_("该个案没有法定保全。"))
        locked.legal_hold, locked.legal_hold_reason = False, ""
        locked.save(update_fields=["legal_hold", "legal_hold_reason"])
        record(AuditAction.HOLD_CLEARED, actor=by, obj=locked, request=request, reason=reason[:200])
    return locked
