"""A scene for the form fuzzer: one object of every kind a URL names (case and its records,
student, class, campaign, submission, report, review round, recommendation, export request,
consent, alert …), built once per test from the standard world."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from tests.factories import person
from tests.xinan.reports.conftest import _case_with_records, make_report
from tests.xinan.reviews.conftest import make_submission
from xinan.alerts.enums import AlertRule
from xinan.alerts.models import Alert
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import FilingRight
from xinan.campaigns.services import filing, provisioning
from xinan.cases.enums import NoticePurpose, TaskKind
from xinan.cases.models import PlanTemplate
from xinan.cases.services import counselling, duties, notices_guardian, records, safety, school_admin
from xinan.dossier.enums import LetterKind
from xinan.exports.services.requests import request_dossier_export
from xinan.notifications.models import Message
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership
from xinan.privacy.enums import ConsentForm, ConsentGiver, ConsentPurpose
from xinan.privacy.services.consent import record_consent
from xinan.reviews.enums import RoundLevel
from xinan.reviews.models import Assignment
from xinan.reviews.services.assignment import open_round
from xinan.selection.services.recommendation import open_recommendation
from xinan.students.models import Student


def build_scene(world, case, campaign):
    """Every object a URL of the site can name, in school A / province A."""
    counsellor, leader, admin = world.counsellor_a, world.team_leader_a, world.provincial_admin_a
    today = timezone.localdate()
    student = case.student
    referral = records.add_referral(case, by=counsellor, agency="某市精神卫生中心", department="心理科", reason="抑郁")
    plan = safety.save_safety_plan(
        case,
        by=counsellor,
        review_on=today + dt.timedelta(days=7),
        warning_signs="失眠",
        coping="听音乐",
        distractions="操场",
        helpers="室友",
        professionals="值班心理老师",
        environment="药品由家长保管",
    )
    agreement = safety.create_guardian_agreement(case, by=counsellor)
    note = counselling.add_note(case, by=counsellor, text="第一次咨询，情绪低落。")
    member = records.add_member(case, world.counsellor_a2, records.member_role_choices_for(case)[0][0], by=leader)
    task = duties.ensure_task(
        case,
        TaskKind.FOLLOW_UP,
        key="fuzz",
        title="回访",
        assignee=counsellor,
        due=timezone.now() + dt.timedelta(days=1),
    )
    notice = notices_guardian.send_notice(
        case,
        by=counsellor,
        guardian=student.guardians.first(),
        purpose=NoticePurpose.CRISIS_FOUND,
        text=notices_guardian.prefill(case, NoticePurpose.CRISIS_FOUND),
    )
    school_admin.ensure_default_plan_templates(world.school_a, by=leader)
    right = FilingRight.objects.create(campaign=campaign, filer=world.filer_a, school=world.school_a, granted_by=admin)
    provisioning.invite([right], by=admin)
    draft = filing.start_submission(campaign, filer=world.filer_a)
    submitted = make_submission(campaign, world.school_a2)
    review_round = open_round(campaign, level=RoundLevel.PROVINCE, province=world.province_a, by=admin)
    assignment = Assignment.objects.create(
        round=review_round, submission=submitted, reviewer=world.reviewer_a, assigned_by=admin
    )
    consent = record_consent(
        case=case,
        purpose=ConsentPurpose.RECORD_KEEPING,
        given_by=ConsentGiver.STUDENT,
        giver_name="测试学生甲",
        given_on=today,
        form=ConsentForm.WRITTEN,
        actor=counsellor,
    )
    export = request_dossier_export(case, by=world.coordinator_a, purpose="区教育局专项督导调阅")
    alert = Alert.objects.create(
        rule=AlertRule.REPEATED_REFUSALS,
        actor=world.staff_a,
        organisation=world.school_a,
        window_start=timezone.now() - dt.timedelta(hours=1),
        window_end=timezone.now(),
        count=11,
    )
    from xinan.cases.enums import CaseState
    from xinan.cases.models import MoveRequest

    move_request = MoveRequest.objects.create(
        case=case, from_state=case.state, to_state=CaseState.CLOSED, reason="学生情况稳定，申请结案",
        requested_by=counsellor,
    )
    return SimpleNamespace(
        world=world,
        case=case,
        move_request=move_request,
        student=student,
        school_class=student.school_class,
        campaign=campaign,
        referral=referral,
        plan=plan,
        agreement=agreement,
        note=note,
        member=member,
        task=task,
        notice=notice,
        plan_template=PlanTemplate.objects.filter(school=world.school_a).order_by("pk").first(),
        team_membership=Membership.objects.get(user=world.counsellor_a2, organisation=world.school_a),
        right=right,
        invite=Message.objects.filter(template="campaign_invite", recipient=world.filer_a).latest("pk"),
        draft=draft,
        submitted=submitted,
        review_round=review_round,
        assignment=assignment,
        recommendation=open_recommendation(campaign, world.province_a, by=admin),
        consent=consent,
        export=export,
        alert=alert,
        report=make_report(counsellor, world.school_a),
        closed_case=_case_with_records(world, _another_student(world), closed=True),
        recommended=make_submission(campaign, world.school_a2, state=SubmissionState.RECOMMENDED, title="推荐案例"),
        selected=make_submission(campaign, world.school_b, state=SubmissionState.SELECTED, title="入选案例"),
        letter_kind=next(iter(LetterKind)).value,
        security_admin=person(Role.SECURITY_ADMIN, world.province_a),
        system_admin=person(Role.SYSTEM_ADMIN, world.nation),
        auditor=person(Role.AUDITOR, world.nation),
    )


def _another_student(world):
    return Student.objects.create(
        school=world.school_a,
        name="测试学生乙",
        student_number="20240002",
        sex="female",
        birth_date=dt.date(2005, 5, 1),
    )
