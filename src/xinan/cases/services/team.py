"""Editing the school's crisis team, done by its team leader (seed 001, 成员组成).

Every change is one transaction with its audit entry (ids and roles only, never a name or a
phone). A membership is never deleted when a member leaves: it is deactivated, so who held which
role stays readable.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xinan.accounts.services.duties import refuse_conflicting_grant
from xinan.accounts.validators import INVALID_PHONE, normalise_phone
from xinan.audit.enums import AuditAction
from xinan.audit.services.record import record
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership, Organisation
from xinan.organisations.models.membership import SEPARATION_OF_DUTIES_MESSAGE, SeparationOfDutiesError
from xinan.organisations.services.queries import forget_held_roles
from xinan.organisations.services.team import TeamError, check_team_role, is_last_team_leader, staff_of_school

__all__ = [
    "TeamError",
    "add_team_member",
    "change_team_member",
    "create_staff_account",
    "enlist_team_member",
    "remove_team_member",
]


def _audit(action, membership: Membership, *, by, request, before=None, after=None) -> None:
    record(
        action,
        actor=by,
        organisation=membership.organisation,
        obj=membership,
        request=request,
        before=before,
        after=after,
    )


def _refuse_conflicting_grant(user, school: Organisation, role: str, *, by, request) -> None:
    try:
        refuse_conflicting_grant(user, school, role, by=by, request=request, path="team")
    except SeparationOfDutiesError as exc:
        raise TeamError(str(SEPARATION_OF_DUTIES_MESSAGE)) from exc


def add_team_member(school: Organisation, *, user, role: str, position: str = "", by, request=None) -> Membership:
    """Give a staff member of the school a crisis-team role (reactivating an old one). A holder
    of one of the three duties (三员分立) is refused first, and the refusal audited."""
    role = check_team_role(school, role)
    _refuse_conflicting_grant(user, school, role, by=by, request=request)
    if not staff_of_school(school).filter(pk=user.pk).exists():
        raise TeamError(_("只能从本校教职工中选择小组成员。"))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(user=user, organisation=school, role=role).first()
        if membership is not None and membership.is_active:
            raise TeamError(_("该人员已担任此角色。"))
        if membership is None:
            membership = Membership.objects.create(user=user, organisation=school, role=role, position=position)
        else:
            membership.is_active, membership.position = True, position
            membership.save(update_fields=["is_active", "position"])
        _audit(
            AuditAction.MEMBERSHIP_ADDED,
            membership,
            by=by,
            request=request,
            after={"user_id": user.pk, "role": role.value, "position": position},
        )
    forget_held_roles(user)
    return membership


def create_staff_account(school: Organisation, *, name: str, phone: str, by, request=None):
    """A new staff account of the school (it signs in with an SMS code).

    A phone that already has an account is used when that person is staff of this school,
    and refused otherwise: moving people between schools is the system administrator's work.
    """
    name = " ".join((name or "").split())
    if not name or len(name) > 40:
        raise TeamError(_("请填写姓名（最多40个字符）。"))
    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        raise TeamError(str(INVALID_PHONE)) from exc
    if not phone.isascii():
        raise TeamError(str(INVALID_PHONE))
    user_model = get_user_model()
    existing = user_model.objects.filter(phone=phone).first()
    if existing is not None:
        if staff_of_school(school).filter(pk=existing.pk).exists():
            return existing
        raise TeamError(_("该手机号已有账号，但不是本校教职工。请联系系统管理员将其加入本校。"))
    with transaction.atomic():
        user = user_model.objects.create_user(phone=phone, name=name)
        membership = Membership.objects.create(user=user, organisation=school, role=Role.STAFF)
        record(AuditAction.USER_CREATED, actor=by, organisation=school, obj=user, request=request)
        _audit(
            AuditAction.MEMBERSHIP_ADDED,
            membership,
            by=by,
            request=request,
            after={"user_id": user.pk, "role": Role.STAFF.value},
        )
    return user


def change_team_member(membership: Membership, *, role: str, position: str, by, request=None) -> Membership:
    """Change the role and position of a crisis-team membership."""
    school = membership.organisation
    role = check_team_role(school, role)
    if role != membership.role and is_last_team_leader(membership):
        raise TeamError(_("小组至少需要一名组长：请先任命新的组长。"))
    before = {"role": membership.role, "position": membership.position}
    with transaction.atomic():
        if role != membership.role:
            clash = Membership.objects.select_for_update().filter(
                user_id=membership.user_id, organisation=school, role=role
            )
            if clash.filter(is_active=True).exists():
                raise TeamError(_("该人员已担任此角色。"))
            # An old, inactive membership in the new role gives way; the audit trail keeps its history.
            clash.delete()
        membership.role, membership.position = role, position
        membership.save(update_fields=["role", "position"])
        _audit(
            "xinan.org.membership.change",
            membership,
            by=by,
            request=request,
            before=before,
            after={"role": role.value, "position": position},
        )
    forget_held_roles(membership.user)
    return membership


def remove_team_member(membership: Membership, *, by, request=None) -> Membership:
    """Deactivate a crisis-team membership."""
    if is_last_team_leader(membership):
        raise TeamError(_("小组至少需要一名组长：请先任命新的组长。"))
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        _audit(
            AuditAction.MEMBERSHIP_REMOVED,
            membership,
            by=by,
            request=request,
            before={"user_id": membership.user_id, "role": membership.role},
        )
        _keep_as_staff(membership, by=by, request=request)
    forget_held_roles(membership.user)
    return membership


def _keep_as_staff(membership: Membership, *, by, request) -> None:
    """Leaving the crisis team is not leaving the school: keep a staff role when none is left."""
    school = membership.organisation
    if staff_of_school(school).filter(pk=membership.user_id).exists():
        return
    staff, created = Membership.objects.get_or_create(
        user_id=membership.user_id, organisation=school, role=Role.STAFF, defaults={"is_active": True}
    )
    if not created:
        staff.is_active = True
        staff.save(update_fields=["is_active"])
    _audit(
        AuditAction.MEMBERSHIP_ADDED,
        staff,
        by=by,
        request=request,
        after={"user_id": membership.user_id, "role": Role.STAFF.value},
    )


def enlist_team_member(
    school: Organisation, *, user=None, name: str = "", phone: str = "", role: str, position: str = "", by, request=None
) -> Membership:
    """Add a member: an existing staff member, or a new staff account created for them, at once."""
    if user is not None:  # audited outside the transaction below, so a refusal stays recorded
        _refuse_conflicting_grant(user, school, role, by=by, request=request)
    with transaction.atomic():
        if user is None:
            user = create_staff_account(school, name=name, phone=phone, by=by, request=request)
        return add_team_member(school, user=user, role=role, position=position, by=by, request=request)
