"""Provinces provision filers: add them (one by one or by Excel), open or close their right to
file, grant extensions, and tell them by SMS. A province acts only inside its province."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.accounts.services.duties import refuse_conflicting_grant
from xinan.accounts.validators import mask_phone
from xinan.audit.services.record import record
from xinan.campaigns.enums import SLOT_STATES, SubmissionState
from xinan.campaigns.models import Campaign, FilingRight, SchoolFiling, Submission
from xinan.campaigns.services.campaigns import ensure_school_admitted
from xinan.campaigns.services.deadlines import filing_deadline, format_deadline
from xinan.campaigns.services.errors import FilingError
from xinan.notifications.models import Message
from xinan.notifications.services.outbox import queue_sms
from xinan.organisations.enums import OrgKind, Role
from xinan.organisations.models import Membership, Organisation
from xinan.organisations.models.membership import SEPARATION_OF_DUTIES_MESSAGE, SeparationOfDutiesError


def _ensure_in_province(school: Organisation, province: Organisation) -> None:
    if school.kind != OrgKind.SCHOOL or school.parent_id != province.pk:
        raise FilingError(_("只能为本省的学校添加填报人员。"))


class FilerConflict(FilingError):
    """The phone is already recorded under another name or school: the province must confirm."""


def _owner_text(user, province: Organisation) -> str:
    """Who the phone belongs to, for this province's officer: name and school when the person is
    known in the province (a filing right or a membership there), nothing about anyone else."""
    known_school = (
        FilingRight.objects.filter(filer=user, school__parent=province).select_related("school").order_by("-pk").first()
    )
    if known_school is not None:
        return _("%(name)s（%(school)s）") % {"name": user.name, "school": known_school.school.name}
    membership = (
        Membership.objects.filter(user=user, organisation__parent=province).select_related("organisation").first()
    )
    if membership is not None:
        return _("%(name)s（%(school)s）") % {"name": user.name, "school": membership.organisation.name}
    return ""


def refuse_conflicting_filer(school: Organisation, phone: str, *, by, request=None, path: str = "filer") -> None:
    """A holder of one of the three duties (三员分立) cannot be made a filer: refused, audited,
    alerted. Called before any transaction of the caller, so the refusal stays recorded."""
    existing = get_user_model().objects.filter(phone=phone).first()
    try:
        refuse_conflicting_grant(existing, school, Role.FILER, by=by, request=request, path=path)
    except SeparationOfDutiesError as exc:
        raise FilingError(str(SEPARATION_OF_DUTIES_MESSAGE)) from exc


def add_filer(
    campaign: Campaign,
    *,
    province: Organisation,
    school: Organisation,
    name: str,
    phone: str,
    by,
    request=None,
    confirm: bool = False,
    position: str = "",
) -> FilingRight:
    """Add (or update) a filer: the person, their filer role at the school, and the right to file.

    A phone already recorded under another name, or with this campaign's right at another school,
    is never changed silently: without ``confirm`` the province is told who the phone belongs to
    (FilerConflict). Confirmed, the name is updated and the right moves with the person's drafts;
    a person whose case is already submitted for the old school cannot move."""
    _ensure_in_province(school, province)
    ensure_school_admitted(campaign, school)
    name = name.strip()
    if not name:
        raise FilingError(_("请填写填报人员姓名。"))
    # Callers run this before their own transaction (the import checks every row first), so a
    # refusal's audit entry is not rolled back with the rest.
    refuse_conflicting_filer(school, phone, by=by, request=request)
    users = get_user_model().objects
    for _attempt in range(3):
        try:
            with transaction.atomic():
                user = users.select_for_update().filter(phone=phone).first()
                created = user is None
                if created:
                    user = users.create_user(phone, name, unit=school.name)
                right = FilingRight.objects.filter(campaign=campaign, filer=user).select_related("school").first()
                if right is not None and right.school.parent_id != province.pk:
                    raise FilingError(_("该手机号已是其他省份学校的填报人员，不能在本省添加。"))
                moving = right is not None and right.school_id != school.pk
                renaming = not created and user.name != name
                moved_drafts = 0
                if moving or renaming:
                    _check_change(campaign, user, right, school, name, province, moving=moving, confirm=confirm)
                    if renaming:
                        user.name = name
                        user.save(update_fields=["name"])
                    if moving:
                        moved_drafts = Submission.objects.filter(
                            campaign=campaign, filer=user, school=right.school, state=SubmissionState.DRAFT
                        ).update(school=school)
                        right.school = school
                        right.save(update_fields=["school"])
                try:
                    membership, _created = Membership.objects.get_or_create(
                        user=user, organisation=school, role=Role.FILER
                    )
                except SeparationOfDutiesError as exc:  # a duty granted in parallel
                    raise FilingError(str(SEPARATION_OF_DUTIES_MESSAGE)) from exc
                if position and membership.position != position:  # 职务 from the import, shown on the page
                    membership.position = position[:60]
                    membership.save(update_fields=["position"])
                if right is None:
                    right = FilingRight.objects.create(campaign=campaign, filer=user, school=school, granted_by=by)
                record(
                    "xinan.campaign.filer.add",
                    actor=by,
                    organisation=province,
                    obj=right,
                    request=request,
                    after={
                        "school": school.pk,
                        "new_person": created,
                        "renamed": renaming,
                        "moved": moving,
                        "moved_drafts": moved_drafts,
                    },
                )
                return right
        except IntegrityError:  # the same phone added by a parallel request: take its rows
            continue
    raise FilingError(_("系统繁忙，请稍后重试。"))


def _check_change(campaign, user, right, school, name, province, *, moving: bool, confirm: bool) -> None:
    """Raise unless this change of an existing person may go ahead."""
    owner = _owner_text(user, province)
    if not owner:
        # Someone outside the province: neither shown nor renamed from here.
        raise FilingError(
            _("手机号 %(phone)s 已被其他单位的人员使用，且姓名与所填不同。请核对手机号，或联系平台管理员。")
            % {"phone": mask_phone(user.phone)}
        )
    if moving:
        held = Submission.objects.filter(
            campaign=campaign, filer=user, school=right.school, state__in=list(SLOT_STATES)
        ).exists()
        if held:
            raise FilingError(
                _("%(owner)s 已代表 %(old)s 提交了案例，不能把其填报权限改到其他学校。")
                % {"owner": owner, "old": right.school.name}
            )
    if confirm:
        return
    changes = []
    if user.name != name:
        changes.append(_("姓名改为“%(name)s”") % {"name": name})
    if moving:
        drafts = Submission.objects.filter(
            campaign=campaign, filer=user, school=right.school, state=SubmissionState.DRAFT
        ).count()
        text = _("填报权限从“%(old)s”改到“%(new)s”") % {"old": right.school.name, "new": school.name}
        if drafts:
            text += _("，其 %(n)s 份未提交的草稿一并转过去") % {"n": drafts}
        changes.append(text)
    raise FilerConflict(
        _("手机号 %(phone)s 已登记为 %(owner)s。如确认是同一人，请勾选“确认是同一人”后再次提交：%(changes)s。")
        % {"phone": mask_phone(user.phone), "owner": owner, "changes": "；".join(changes)}
    )


def set_right_open(right: FilingRight, *, is_open: bool, by, request=None) -> None:
    right.is_open = is_open
    right.save(update_fields=["is_open"])
    record(
        "xinan.campaign.filer.open" if is_open else "xinan.campaign.filer.close",
        actor=by,
        organisation=right.school.parent,
        obj=right,
        request=request,
    )


def set_school_open(campaign: Campaign, school: Organisation, *, is_open: bool, by, request=None) -> SchoolFiling:
    filing, _created = SchoolFiling.objects.update_or_create(
        campaign=campaign, school=school, defaults={"is_open": is_open, "changed_by": by, "changed_at": timezone.now()}
    )
    record(
        "xinan.campaign.school.open" if is_open else "xinan.campaign.school.close",
        actor=by,
        organisation=school.parent,
        obj=school,
        request=request,
    )
    return filing


def grant_extension(right: FilingRight, *, until: dt.datetime, reason: str, by, request=None) -> None:
    if len(reason.strip()) < 4:
        raise FilingError(_("延期需要写明原因。"))
    if until <= right.campaign.closes_at:
        raise FilingError(_("延期时间应晚于统一截止时间。"))
    right.extended_until, right.extension_reason = until, reason.strip()
    right.save(update_fields=["extended_until", "extension_reason"])
    record(
        "xinan.campaign.filer.extend",
        actor=by,
        organisation=right.school.parent,
        obj=right,
        request=request,
        reason=reason,
        after={"until": until.isoformat()},
    )


@dataclass(frozen=True)
class Invited:
    sent: int
    past_deadline: int  # filers left out because their deadline has passed


def invite(rights, *, by, request=None, now: dt.datetime | None = None) -> Invited:
    """Send each filer the campaign's SMS invitation (named template campaign_invite).

    A filer whose deadline (the campaign's, or their own extension) has passed is not invited to
    it; when that is every filer asked for, the whole request is refused with the deadline."""
    now = now or timezone.now()
    rights = [right for right in rights if right.campaign.admits_school(right.school)]  # other school types
    current = [right for right in rights if now < filing_deadline(right.campaign, right)]
    if rights and not current:
        deadline = max(filing_deadline(right.campaign, right) for right in rights)
        raise FilingError(
            _("填报已于 %(t)s 截止，不再发送填报通知。如需让个别人员补报，请先为其延期。")
            % {"t": format_deadline(deadline)}
        )
    sent = 0
    for right in current:
        deadline = format_deadline(filing_deadline(right.campaign, right))
        message = queue_sms(
            right.filer.phone,
            "campaign_invite",
            {"name": right.filer.name, "campaign": right.campaign.title, "deadline": deadline},
            user=right.filer,
        )
        if message is not None:
            sent += 1
            FilingRight.objects.filter(pk=right.pk).update(invited_at=now)
    past = len(rights) - len(current)
    record("xinan.campaign.filer.invite", actor=by, request=request, after={"messages": sent, "past_deadline": past})
    return Invited(sent=sent, past_deadline=past)


def filer_positions(rights) -> dict[tuple[int, int], str]:
    """(filer, school) → the filer's 职务 at that school, for the filers table (one query)."""
    memberships = Membership.objects.filter(
        role=Role.FILER,
        user_id__in=[right.filer_id for right in rights],
        organisation_id__in={right.school_id for right in rights},
    ).values_list("user_id", "organisation_id", "position")
    return {(user_id, school_id): position for user_id, school_id, position in memberships}


def latest_invites(rights) -> dict[int, Message]:
    """The last invitation per filer, for the delivery status column (one query)."""
    filer_ids = [right.filer_id for right in rights]
    latest: dict[int, Message] = {}
    for message in Message.objects.filter(template="campaign_invite", recipient_id__in=filer_ids).order_by(
        "created_at"
    ):
        latest[message.recipient_id] = message
    return latest
