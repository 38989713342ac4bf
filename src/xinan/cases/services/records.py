"""Recording the work on a case. Each function: checks, one transaction, an audit entry."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.cases.enums import REFUSING_RESPONSES, CaseRole, GuardianResponse, TaskKind
from xinan.cases.models import (
    AftercarePlan,
    Case,
    CaseMember,
    Consultation,
    Disclosure,
    FollowUp,
    GlassBreak,
    GuardianContact,
    InterventionPlan,
    PlanTemplate,
    Referral,
    StatusEvent,
    Task,
)
from xinan.cases.services import duties
from xinan.cases.services.errors import CaseError


def _audit(action: str, case: Case, by, obj=None, request=None, **extra) -> None:
    record(f"xinan.case.{action}", actor=by, organisation=case.school, obj=obj or case, request=request, **extra)


def _open(case: Case) -> None:
    if case.state == "closed":
        raise CaseError(_("个案已结案，不能再添加记录；如需继续，请先重新开案。"))


def assign_counsellor(case: Case, counsellor, *, by, request=None) -> None:
    from xinan.organisations.enums import Role
    from xinan.organisations.services.queries import held_roles

    if not any(h.role == Role.COUNSELLOR and h.school_id == case.school_id for h in held_roles(counsellor)):
        raise CaseError(_("只能指派本校的心理老师/辅导员。"))
    if case.assigned_counsellor_id == counsellor.pk:
        raise CaseError(_("该心理老师已是本案的负责心理老师。"))
    with transaction.atomic():
        before = {"assigned_counsellor": case.assigned_counsellor_id}
        case.assigned_counsellor = counsellor
        case.save(update_fields=["assigned_counsellor", "updated_at"])
        # The first assessment is the assigned counsellor's (it may have waited with the team leader).
        case.tasks.filter(kind=TaskKind.ASSESSMENT, done_at__isnull=True, cancelled_at__isnull=True).update(
            assignee=counsellor, title=_("首次危机评估")
        )
        _audit("assign", case, by, request=request, before=before, after={"assigned_counsellor": counsellor.pk})


def link_student(case: Case, student, *, by, request=None) -> Case:
    """Link a case whose first report named the student only in free text to the student's
    register entry. From then on the guardian, the class teacher and the age come from the
    register; the class teacher joins the case as a temporary member and is told. What the
    reporter typed is kept as it was written. The audit entry names ids, never the student."""
    from xinan.cases.services import notices

    if student.school_id != case.school_id:
        raise CaseError(_("只能关联本校学籍中的学生。"))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.student_id is not None:
            raise CaseError(_("本个案已关联学籍，不能再次关联。"))
        locked.student = student
        locked.save(update_fields=["student", "updated_at"])
        teacher = student.school_class.class_teacher if student.school_class_id else None
        teacher_added = False
        if (
            teacher is not None
            and not locked.members.filter(user=teacher, role=CaseRole.CLASS_TEACHER, removed_at__isnull=True).exists()
        ):
            member, created = CaseMember.objects.get_or_create(
                case=locked, user=teacher, role=CaseRole.CLASS_TEACHER, defaults={"added_by": by}
            )
            if not created:
                member.removed_at = None
                member.save(update_fields=["removed_at"])
            teacher_added = True
        _audit(
            "student.link",
            locked,
            by,
            request=request,
            before={"student": None},
            after={"student": student.pk, "class_teacher": teacher.pk if teacher_added else None},
        )
        if teacher_added:
            transaction.on_commit(lambda: notices.tell_class_teacher_of_case(locked.pk, teacher.pk))
    case.student = student
    return case


def add_member(case: Case, user, role: str, *, by, request=None) -> CaseMember:
    from xinan.organisations.services.queries import held_roles

    if role not in dict(member_role_choices_for(case)):
        raise CaseError(_("不能以该角色添加本案人员。"))
    if not any(h.school_id == case.school_id for h in held_roles(user)):
        raise CaseError(_("只能添加本校的教职工。"))
    with transaction.atomic():
        member, created = CaseMember.objects.get_or_create(case=case, user=user, role=role, defaults={"added_by": by})
        if not created and member.removed_at is None:
            raise CaseError(_("此人已以该角色在本案中。"))
        if not created:
            member.removed_at = None
            member.save(update_fields=["removed_at"])
        _audit("member.add", case, by, request=request, after={"user": user.pk, "role": role})
    return member


def remove_member(member: CaseMember, *, by, request=None) -> None:
    if member.role == CaseRole.FIRST_REPORTER:
        raise CaseError(_("第一发现人是报告的记录，不能移除。"))
    with transaction.atomic():
        if not CaseMember.objects.filter(pk=member.pk, removed_at__isnull=True).update(removed_at=timezone.now()):
            raise CaseError(_("此人已不在本案中。"))
        member.refresh_from_db(fields=["removed_at"])
        _audit("member.remove", member.case, by, request=request, before={"user": member.user_id, "role": member.role})


def add_follow_up(case: Case, *, by, at: dt.datetime, channel: str, note: str, concern: bool = False, request=None):
    _open(case)
    with transaction.atomic():
        follow_up = FollowUp.objects.create(case=case, by=by, at=at, channel=channel, note=note, concern=concern)
        duties.complete_open(case, TaskKind.FOLLOW_UP, by=by)
        duties.complete_open(case, TaskKind.AFTERCARE, by=by)
        _audit("follow_up.add", case, by, request=request, after={"concern": concern})
        duties.schedule(case, by=by)
        if concern:
            from xinan.cases.services import notices

            title = _("个案 %(ref)s 回访中发现新的风险迹象") % {"ref": case.reference}
            transaction.on_commit(lambda: notices.tell_team_leader(case, title, key=f"concern-{follow_up.pk}"))
    return follow_up


def add_consultation(case: Case, *, by, held_at, attendees, other_attendees: str, decisions: str, request=None):
    _open(case)
    with transaction.atomic():
        consultation = Consultation.objects.create(
            case=case, held_at=held_at, other_attendees=other_attendees, decisions=decisions, recorded_by=by
        )
        consultation.attendees.set(attendees)
        _audit("consultation.add", case, by, request=request, after={"attendees": len(attendees)})
    return consultation


def matching_template(case: Case) -> PlanTemplate | None:
    templates = PlanTemplate.objects.filter(school=case.school_id, is_active=True)
    best, best_score = None, -1
    for template in templates:
        if template.category and template.category not in case.categories:
            continue
        if template.level and template.level != case.risk_level:
            continue
        score = bool(template.category) + bool(template.level)
        if score > best_score:
            best, best_score = template, score
    return best


def start_plan(case: Case, *, by, template: PlanTemplate | None, targets: str, methods: str, request=None):
    """A plan from the school's template: its steps become tasks for named people."""
    _open(case)
    from xinan.organisations.enums import Role
    from xinan.organisations.models import Membership

    with transaction.atomic():
        plan = InterventionPlan.objects.create(
            case=case, template=template, targets=targets, methods=methods, created_by=by
        )
        now = timezone.now()
        for index, step in enumerate(template.steps if template else [], start=1):
            who = step.get("who", "counsellor")
            if who == "class_teacher":
                assignee = duties.class_teacher_of(case)
            elif who in {"team_leader", "health_teacher"}:
                role = Role.TEAM_LEADER if who == "team_leader" else Role.HEALTH_TEACHER
                membership = Membership.objects.filter(
                    organisation_id=case.school_id, role=role, is_active=True
                ).first()
                assignee = membership.user if membership else None
            else:
                assignee = case.assigned_counsellor
            duties.ensure_task(
                case,
                TaskKind.PLAN_STEP,
                key=f"plan{plan.pk}-step{index}",
                title=step.get("title", "")[:200],
                assignee=assignee or by,
                due=now + dt.timedelta(hours=int(step.get("within_hours", 24))),
                plan=plan,
            )
        _audit("plan.add", case, by, request=request, after={"template": template.pk if template else None})
    return plan


def add_guardian_contact(
    case: Case,
    *,
    by,
    at,
    channel: str,
    said: str,
    response: str,
    guardian=None,
    guardian_text: str = "",
    guardian_words: str = "",
    request=None,
):
    _open(case)
    if response in REFUSING_RESPONSES and not guardian_words.strip():
        raise CaseError(_("监护人拒绝或不配合时，请记录监护人的原话。"))
    with transaction.atomic():
        contact = GuardianContact.objects.create(
            case=case,
            guardian=guardian,
            guardian_text=guardian_text,
            at=at,
            channel=channel,
            by=by,
            said=said,
            response=response,
            guardian_words=guardian_words,
        )
        if response in {GuardianResponse.INFORMED, GuardianResponse.AGREED}:
            duties.complete_open(case, TaskKind.GUARDIAN_CONTACT, by=by)
        _audit("guardian_contact.add", case, by, request=request, after={"response": response})
        if response in REFUSING_RESPONSES:
            escalate_to_team_leader(
                case,
                key=f"guardian-refusal-{contact.pk}",
                title=_("监护人拒绝或不配合（个案 %(ref)s），请组长处理") % {"ref": case.reference},
            )
    return contact


def escalate_to_team_leader(case: Case, *, key: str, title: str) -> Task | None:
    from xinan.cases.services import notices
    from xinan.organisations.enums import Role
    from xinan.organisations.models import Membership

    leader = Membership.objects.filter(organisation_id=case.school_id, role=Role.TEAM_LEADER, is_active=True).first()
    if leader is None:
        return None
    due = duties.escalation_due(case, timezone.now())
    task = duties.ensure_task(case, TaskKind.ESCALATION, key=key, title=title, assignee=leader.user, due=due)
    transaction.on_commit(lambda: notices.tell_team_leader(case, title, key=key))
    return task


def add_referral(case: Case, *, by, agency: str, department: str, reason: str, request=None) -> Referral:
    _open(case)
    if not agency.strip() or not reason.strip():
        raise CaseError(_("请填写转介机构和转介理由。"))
    with transaction.atomic():
        referral = Referral.objects.create(case=case, agency=agency, department=department, reason=reason, by=by)
        _audit("referral.add", case, by, request=request)
    return referral


def record_diagnosis(referral: Referral, *, by, diagnosis: str, advice: str, received_at=None, request=None):
    if not diagnosis.strip():
        raise CaseError(_("请填写诊断结果。"))
    # Forms give minutes; a diagnosis entered in the minute of the referral is not "before" it.
    if received_at is not None and received_at < referral.referred_at.replace(second=0, microsecond=0):
        raise CaseError(_("收到诊断的时间不能早于转介时间。"))
    with transaction.atomic():
        referral.diagnosis, referral.advice = diagnosis, advice
        referral.diagnosis_received_at = received_at or timezone.now()
        referral.save(update_fields=["diagnosis", "advice", "diagnosis_received_at"])
        duties.complete_open(referral.case, TaskKind.REFERRAL_DIAGNOSIS, by=by)
        _audit("referral.diagnosis", referral.case, by, request=request)
    return referral


def add_status_event(case: Case, *, by, kind: str, starts_on, ends_on=None, note: str = "", request=None):
    if ends_on is not None and ends_on < starts_on:
        raise CaseError(_("结束日期不能早于开始日期。"))
    with transaction.atomic():
        event = StatusEvent.objects.create(case=case, kind=kind, starts_on=starts_on, ends_on=ends_on, note=note, by=by)
        _audit("status_event.add", case, by, request=request, after={"kind": kind})
        if kind in {"withdrawal", "transfer"} and case.student_id and case.student.left_on is None:
            case.student.left_on = starts_on
            case.student.save(update_fields=["left_on"])
    return event


def add_aftercare_plan(case: Case, *, by, plan: str, follow_up_every_days: int, until, request=None):
    _open(case)
    if not plan.strip():
        raise CaseError(_("请填写后续帮助方案。"))
    if not 1 <= follow_up_every_days <= 90:
        raise CaseError(_("回访间隔应为1至90天。"))
    if until <= timezone.localdate():
        raise CaseError(_("跟踪截止日期应晚于今天。"))
    with transaction.atomic():
        aftercare = AftercarePlan.objects.create(
            case=case, plan=plan, follow_up_every_days=follow_up_every_days, until=until, created_by=by
        )
        _audit("aftercare.add", case, by, request=request)
    return aftercare


def complete_task(task: Task, *, by, note: str = "", request=None) -> Task:
    """Mark a task done. An escalation is closed by its owner (the team leader) only, saying how it
    was dealt with; the note goes into the case's timeline and record form."""
    note = note.strip()
    if task.owner_only:
        if task.assignee_id != by.pk:
            raise CaseError(_("该事项需由负责人（组长）本人处理。"))
        if not note:
            raise CaseError(_("请写明处理情况（例如：已约见监护人，监护人同意带学生就医）。"))
    with transaction.atomic():
        # Conditional update: two people pressing "done" at once complete it once.
        done = Task.objects.filter(pk=task.pk, done_at__isnull=True, cancelled_at__isnull=True).update(
            done_at=timezone.now(), done_by=by, done_note=note
        )
        if not done:
            raise CaseError(_("该事项已完成或已取消。"))
        task.refresh_from_db()
        _audit("task.done", task.case, by, obj=task, request=request, after={"kind": task.kind, "note": bool(note)})
    return task


def add_disclosure(case: Case, *, by, told_whom: str, what: str, why: str, request=None) -> Disclosure:
    if not told_whom.strip() or not what.strip() or not why.strip():
        raise CaseError(_("请写明告知了谁、告知了什么以及理由。"))
    with transaction.atomic():
        disclosure = Disclosure.objects.create(case=case, told_whom=told_whom, what=what, why=why, by=by)
        # The entry points at the record; the free text stays (encrypted) in the record itself.
        _audit("disclosure.add", case, by, obj=disclosure, request=request)
    return disclosure


def break_glass(case: Case, *, by, reason: str, request=None) -> GlassBreak:
    if len(reason.strip()) < 5:
        raise CaseError(_("紧急访问需要写明理由（至少5个字）。"))
    from xinan.cases.models import SchoolCrisisSettings

    settings_row = SchoolCrisisSettings.objects.filter(school_id=case.school_id).first()
    hours = settings_row.glass_break_hours if settings_row else 4
    now = timezone.now()
    with transaction.atomic():
        grant = GlassBreak.objects.create(
            case=case, user=by, reason=reason, granted_at=now, expires_at=now + dt.timedelta(hours=hours)
        )
        _audit("glass_break", case, by, obj=grant, request=request, after={"hours": hours})
        from xinan.cases.services import notices

        title = _("%(name)s 对个案 %(ref)s 启用了紧急访问") % {"name": by.name, "ref": case.reference}
        transaction.on_commit(lambda: notices.tell_team_leader(case, title, key=f"glass-{grant.pk}"))
    return grant


def member_role_choices_for(case: Case) -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in CaseRole if role != CaseRole.FIRST_REPORTER]
