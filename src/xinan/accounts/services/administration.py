"""Account and role administration: what the system administrator and the security
administrator do (三员分立). Each verb runs in one transaction and writes its audit entry there.

The system administrator creates, deactivates and reactivates accounts, lifts sign-in
lockouts and may show a phone number in full (audited); they give no roles. The security
administrator grants and revokes roles; the separation of duties is checked by
``Membership`` itself, and a refused grant is recorded.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.accounts.enums import AccountAction
from xinan.accounts.services.codes import release_lock
from xinan.accounts.services.duties import refuse_conflicting_grant
from xinan.accounts.validators import INVALID_PHONE, normalise_phone
from xinan.audit.enums import AuditAction
from xinan.audit.services.record import record
from xinan.organisations.enums import OrgKind, Role
from xinan.organisations.models import Membership, Organisation
from xinan.organisations.models.membership import SEPARATION_OF_DUTIES_MESSAGE
from xinan.organisations.services.queries import forget_held_roles

NAME_MAX = 40
UNIT_MAX = 120
POSITION_MAX = 60


class AdministrationError(Exception):
    """A refusal with a message for the administrator (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _clean_text(value: str, *, limit: int, required: bool, message: str) -> str:
    text = " ".join((value or "").split())
    if (required and not text) or len(text) > limit:
        raise AdministrationError(message)
    return text


# --- System administrator -----------------------------------------------------------------
def create_person(organisation: Organisation, *, name: str, phone: str, unit: str = "", by, request=None):
    """A new account affiliated with a school or department as staff (教职工), without a password:
    the person signs in with an SMS code, or sets a password later. Other roles are granted by
    the security administrator."""
    if organisation.kind not in (OrgKind.SCHOOL, OrgKind.DEPARTMENT):
        raise AdministrationError(_("新建人员只能归属到学校或院系/部门。"))
    name = _clean_text(name, limit=NAME_MAX, required=True, message=_("请填写姓名（最多40个字符）。"))
    unit = _clean_text(unit, limit=UNIT_MAX, required=False, message=_("单位名称最多120个字符。"))
    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        raise AdministrationError(str(INVALID_PHONE)) from exc
    user_model = get_user_model()
    if user_model.objects.filter(phone=phone).exists():
        raise AdministrationError(_("该手机号已有账号，无需重复创建。"))
    with transaction.atomic():
        person = user_model.objects.create_user(phone=phone, name=name, unit=unit or organisation.name)
        membership = Membership.objects.create(user=person, organisation=organisation, role=Role.STAFF)
        record(AuditAction.USER_CREATED, actor=by, organisation=organisation, obj=person, request=request)
        record(
            AuditAction.MEMBERSHIP_ADDED,
            actor=by,
            organisation=organisation,
            obj=membership,
            request=request,
            after={"user_id": person.pk, "role": Role.STAFF.value},
        )
    return person


def _end_sessions(person) -> int:
    """Delete the database sessions signed in as ``person``; returns how many."""
    user_id = str(person.pk)
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            ended.append(session.session_key)
    if ended:
        Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def deactivate_person(person, *, by, request=None, reason: str = ""):
    """Stop the account: it can no longer sign in, and its open sessions end now."""
    if person.pk == by.pk:
        raise AdministrationError(_("不能停用自己的账号。"))
    if not person.is_active:
        raise AdministrationError(_("该账号已停用。"))
    reason = _clean_text(reason, limit=200, required=False, message=_("停用原因最多200个字符。"))
    with transaction.atomic():
        person.is_active = False
        person.save(update_fields=["is_active"])
        ended = _end_sessions(person)
        record(
            AccountAction.DEACTIVATED,
            actor=by,
            obj=person,
            request=request,
            reason=reason,
            before={"is_active": True},
            after={"is_active": False, "sessions_ended": ended},
        )
    return person


def reactivate_person(person, *, by, request=None):
    if person.pk == by.pk:
        raise AdministrationError(_("不能启用自己的账号。"))
    if person.is_active:
        raise AdministrationError(_("该账号已是启用状态。"))
    with transaction.atomic():
        person.is_active = True
        person.save(update_fields=["is_active"])
        record(
            AccountAction.REACTIVATED,
            actor=by,
            obj=person,
            request=request,
            before={"is_active": False},
            after={"is_active": True},
        )
    return person


def lift_lockout(person, *, by, request=None) -> bool:
    """Release a sign-in lockout of the person's phone (``xinan.auth.unlock``); False when none."""
    with transaction.atomic():
        return release_lock(person.phone, by=by, request=request)


def reveal_phone(person, *, by, request=None) -> str:
    """The full phone number, once, for someone who needs it; every reveal is recorded."""
    with transaction.atomic():
        record(AccountAction.PHONE_REVEALED, actor=by, obj=person, request=request)
    return person.phone


# --- Security administrator ---------------------------------------------------------------
def grant_role(organisation: Organisation, *, person, role: str, position: str = "", by, request=None) -> Membership:
    """Give ``person`` ``role`` in ``organisation`` (a revoked one comes back). The role must fit
    the organisation's kind, and the separation of duties (三员分立) must hold: a refusal is
    audited and raises an alert (``accounts.services.duties``)."""
    if person.pk == by.pk:
        raise AdministrationError(_("不能给自己授予角色。"))
    if role not in Role.values:
        raise AdministrationError(_("请选择有效的角色。"))
    position = _clean_text(position, limit=POSITION_MAX, required=False, message=_("职务最多60个字符。"))
    membership = Membership.objects.filter(user=person, organisation=organisation, role=role).first()
    if membership is not None and membership.is_active:
        raise AdministrationError(_("该人员已在此组织担任该角色。"))
    if membership is None:
        membership = Membership(user=person, organisation=organisation, role=role)
    membership.is_active = True
    membership.position = position
    try:
        refuse_conflicting_grant(person, organisation, role, by=by, request=request, path="admin")
        membership.clean()
    except ValidationError as exc:
        raise AdministrationError("；".join(exc.messages)) from exc
    with transaction.atomic():
        try:
            membership.save()
        except (ValidationError, IntegrityError) as exc:  # a parallel grant made it a conflict after all
            raise AdministrationError(str(SEPARATION_OF_DUTIES_MESSAGE)) from exc
        record(
            AuditAction.MEMBERSHIP_ADDED,
            actor=by,
            organisation=organisation,
            obj=membership,
            request=request,
            after={"user_id": person.pk, "role": role, "position": position},
        )
    forget_held_roles(person)
    return membership


def revoke_role(membership: Membership, *, by, request=None) -> Membership:
    if membership.user_id == by.pk:
        raise AdministrationError(_("不能撤销自己的角色。"))
    if not membership.is_active:
        raise AdministrationError(_("该角色已撤销。"))
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        record(
            AuditAction.MEMBERSHIP_REMOVED,
            actor=by,
            organisation=membership.organisation,
            obj=membership,
            request=request,
            before={"user_id": membership.user_id, "role": membership.role, "is_active": True},
            after={"is_active": False},
        )
    return membership
