"""Provinces provision filers: add them (one by one or by Excel), open or close their right to
file, grant extensions, and tell them by SMS. A province acts only inside its province."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.accounts.services.duties import refuse_conflicting_grant
from xinan.audit.services.record import record
from xinan.campaigns.models import Campaign, FilingRight, SchoolFiling
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


def refuse_conflicting_filer(school: Organisation, phone: str, *, by, request=None, path: str = "filer") -> None:
    """A holder of one of the three duties (三员分立) cannot be made a filer: refused, audited,
    alerted. Called before any transaction of the caller, so the refusal stays recorded."""
    existing = get_user_model().objects.filter(phone=phone).first()
    try:
        refuse_conflicting_grant(existing, school, Role.FILER, by=by, request=request, path=path)
    except SeparationOfDutiesError as exc:
        raise FilingError(str(SEPARATION_OF_DUTIES_MESSAGE)) from exc


def add_filer(
    campaign: Campaign, *, province: Organisation, school: Organisation, name: str, phone: str, by, request=None
) -> FilingRight:
    """Add (or update) a filer: the person, their filer role at the school, and the right to file."""
    _ensure_in_province(school, province)
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
                user = users.filter(phone=phone).first()
                created = user is None
                if created:
                    user = users.create_user(phone, name, unit=school.name)
                try:
                    Membership.objects.get_or_create(user=user, organisation=school, role=Role.FILER)
                except SeparationOfDutiesError as exc:  # a duty granted in parallel
                    raise FilingError(str(SEPARATION_OF_DUTIES_MESSAGE)) from exc
                right, right_created = FilingRight.objects.get_or_create(
                    campaign=campaign, filer=user, defaults={"school": school, "granted_by": by}
                )
                if not right_created and right.school_id != school.pk:
                    if right.school.parent_id != province.pk:
                        raise FilingError(_("该手机号已是其他省份学校的填报人员，不能在本省添加。"))
                    right.school = school
                    right.save(update_fields=["school"])
                record(
                    "xinan.campaign.filer.add",
                    actor=by,
                    organisation=province,
                    obj=right,
                    request=request,
                    after={"school": school.pk, "new_person": created},
                )
                return right
        except IntegrityError:  # the same phone added by a parallel request: take its rows
            continue
    raise FilingError(_("系统繁忙，请稍后重试。"))


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


def invite(rights, *, by, request=None) -> int:
    """Send each filer the campaign's SMS invitation (named template campaign_invite)."""
    sent = 0
    for right in rights:
        deadline = format_deadline(filing_deadline(right.campaign, right))
        message = queue_sms(
            right.filer.phone,
            "campaign_invite",
            {"name": right.filer.name, "campaign": right.campaign.title, "deadline": deadline},
            user=right.filer,
        )
        if message is not None:
            sent += 1
    record("xinan.campaign.filer.invite", actor=by, request=request, after={"messages": sent})
    return sent


def latest_invites(rights) -> dict[int, Message]:
    """The last invitation per filer, for the delivery status column (one query)."""
    filer_ids = [right.filer_id for right in rights]
    latest: dict[int, Message] = {}
    for message in Message.objects.filter(template="campaign_invite", recipient_id__in=filer_ids).order_by(
        "created_at"
    ):
        latest[message.recipient_id] = message
    return latest
