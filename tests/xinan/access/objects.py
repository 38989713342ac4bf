"""The world of the access matrix: the standard people and organisations, the three-duty people,
and one object of every kind a URL of the platform addresses, for school A / province A and a twin
of each for school B / province B (named ``<name>_b``), around one national campaign.

Built once per test module (the matrix addresses it from about 170 URL patterns): school A's objects
sit inside the circle of school A's case workers and province A's administrators; school B's twins
are outside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from tests.conftest import World, build_world
from tests.document_fixtures import handmade_pdf, page_objects
from tests.factories import person
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import Campaign, FilingRight, OriginalityMatch
from xinan.campaigns.services.campaigns import add_attachment
from xinan.cases.enums import CaseState, ObservationCategory, Outcome, TaskKind
from xinan.cases.models import Case, CaseMember, CounsellingNote, GuardianNotice, MoveRequest, PlanTemplate, Task
from xinan.cases.services import records, safety
from xinan.cases.services.reporting import file_first_report
from xinan.crypto.files import store_encrypted
from xinan.dossier.services.documents import upload_document
from xinan.exports.services.requests import request_dossier_export
from xinan.notifications.models import Message
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership
from xinan.privacy.enums import ConsentForm, ConsentGiver, ConsentPurpose
from xinan.privacy.services.consent import record_consent
from xinan.reports.models import CaseReport
from xinan.reviews.enums import RoundLevel
from xinan.reviews.models import Assignment
from xinan.reviews.services.assignment import open_round
from xinan.selection.models import Anthology
from xinan.selection.services.recommendation import open_recommendation
from xinan.students.models import Guardian, SchoolClass, Student

PDF = handmade_pdf(page_objects())


@dataclass
class Objects:
    """One object of every kind a URL addresses; ``people`` maps a matrix role to its user."""

    world: World
    people: dict = field(default_factory=dict)
    things: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["things"][name]
        except KeyError:
            raise AttributeError(name) from None

    def resolve(self, name: str):
        """A URL argument: ``=text`` literally, else the named object's primary key (or value)."""
        if name.startswith("="):
            return name[1:]
        found = self.things.get(name) or self.people.get(name) or getattr(self.world, name)
        return getattr(found, "pk", found)


@dataclass
class Staff:
    """The people of one school's case: who reports, who is assigned, who teaches the class."""

    school: object
    province: object
    reporter: object
    counsellor: object
    other_member: object
    class_teacher: object
    team_member: object  # a crisis-team membership the team pages address
    filer: object
    provincial_admin: object
    reviewer: object
    requester: object  # asks for the dossier export


def build_objects() -> Objects:
    """School A's objects under their plain names; school B's (province B's) twins under ``<name>_b``."""
    w = build_world()
    o = Objects(world=w)
    o.people = {
        "staff_a": w.staff_a,
        "class_teacher_a": w.class_teacher_a,
        "counsellor_a": w.counsellor_a,
        "counsellor_a2": w.counsellor_a2,
        "team_leader_a": w.team_leader_a,
        "filer_a": w.filer_a,
        "counsellor_b": w.counsellor_b,
        "provincial_admin_a": w.provincial_admin_a,
        "provincial_admin_b": w.provincial_admin_b,
        "reviewer_a": w.reviewer_a,
        "reviewer_own_school": person(Role.REVIEWER, w.school_a),
        "national_admin": w.national_admin,
        "system_admin_a": person(Role.SYSTEM_ADMIN, w.province_a),
        "security_admin_a": person(Role.SECURITY_ADMIN, w.province_a),
        "auditor_a": person(Role.AUDITOR, w.province_a),
    }
    now = timezone.now()
    campaign = Campaign.objects.create(
        title="2026年高校学生心理危机干预案例征集",
        notice="通知正文",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
        province_review_closes_at=now + dt.timedelta(days=20),
        created_by=w.national_admin,
        published_at=now - dt.timedelta(days=1),
    )
    docx_file, pdf_file = store_encrypted(b"docx", folder="anthology"), store_encrypted(PDF, folder="anthology")
    o.things.update(
        campaign=campaign,
        attachment=add_attachment(campaign, name="通知.pdf", data=PDF, by=w.national_admin),
        anthology=Anthology.objects.create(
            campaign=campaign,
            report_count=1,
            docx_name=docx_file.name,
            docx_sha256=docx_file.sha256,
            pdf_name=pdf_file.name,
            pdf_sha256=pdf_file.sha256,
            generated_by=w.national_admin,
        ),
    )
    school_a = Staff(
        school=w.school_a,
        province=w.province_a,
        reporter=w.staff_a,
        counsellor=w.counsellor_a,
        other_member=w.health_teacher_a,
        class_teacher=w.class_teacher_a,
        team_member=w.counsellor_a2,
        filer=w.filer_a,
        provincial_admin=w.provincial_admin_a,
        reviewer=w.reviewer_a,
        requester=w.coordinator_a,
    )
    school_b = Staff(
        school=w.school_b,
        province=w.province_b,
        reporter=person(Role.STAFF, w.school_b),
        counsellor=w.counsellor_b,
        other_member=person(Role.HEALTH_TEACHER, w.school_b),
        class_teacher=person(Role.CLASS_TEACHER, w.school_b),
        team_member=person(Role.COUNSELLOR, w.school_b),
        filer=person(Role.FILER, w.school_b),
        provincial_admin=w.provincial_admin_b,
        reviewer=person(Role.REVIEWER, w.province_b),
        requester=person(Role.COORDINATOR, w.school_b),
    )
    o.things.update(_school_objects(school_a, campaign, other_school=w.school_a2))
    o.things.update({f"{k}_b": v for k, v in _school_objects(school_b, campaign).items()})
    o.things.update(school_a=w.school_a, school_b=w.school_b, staff_a=w.staff_a, staff_a_b=school_b.reporter)
    return o


def _school_objects(p: Staff, campaign, *, other_school=None) -> dict:
    """A student and a reported case of ``p.school`` with one record of every kind, and the school's
    (province's) side of the campaign: a submission under review, its filing right, its invitation,
    an originality match, the province's round and recommendation, an alert."""
    from tests.xinan.reviews.conftest import make_submission

    now = timezone.now()
    t: dict = {}
    school_class = SchoolClass.objects.create(
        school=p.school, grade="2024级", name="心理学1班", class_teacher=p.class_teacher
    )
    student = Student.objects.create(
        school=p.school,
        school_class=school_class,
        name="测试学生甲",
        student_number="20240001",
        sex="male",
        birth_date=dt.date(2005, 3, 1),
    )
    guardian = Guardian.objects.create(
        student=student, relation="mother", name="测试家长甲", phone="13912340000", is_primary=True
    )
    first = file_first_report(
        school=p.school,
        reporter=p.reporter,
        student=student,
        categories=[ObservationCategory.SUICIDE_NOTE],
        observed="收到告别短信",
        measures="联系了同学陪伴",
    )
    case = first.case
    case.assigned_counsellor = p.counsellor
    case.save(update_fields=["assigned_counsellor"])
    t.update(school_class=school_class, student=student, guardian=guardian, case=case)
    t["receipt_token"] = first.receipt_token
    t["referral"] = records.add_referral(
        case, by=p.counsellor, agency="某市精神卫生中心", department="儿童青少年心理科", reason="持续情绪低落"
    )
    t["task"] = Task.objects.create(
        case=case, kind=TaskKind.FOLLOW_UP, title="回访", assignee=p.counsellor, due_at=now + dt.timedelta(days=1)
    )
    t["safety_plan"] = safety.save_safety_plan(
        case,
        by=p.counsellor,
        review_on=dt.date.today() + dt.timedelta(days=7),
        warning_signs="连续失眠",
        coping="听音乐",
        distractions="操场",
        helpers="室友",
        professionals="学校值班心理老师",
        environment="药品由家长保管",
        reasons_for_living="想看妹妹长大",
    )
    t["agreement"] = safety.create_guardian_agreement(case, by=p.counsellor, guardian=guardian)
    t["note"] = CounsellingNote.objects.create(case=case, author=p.counsellor, text="第一次咨询记录")
    t["case_member"] = CaseMember.objects.create(case=case, user=p.other_member, role="member")
    t["notice"] = GuardianNotice.objects.create(
        case=case, purpose="crisis_found", text="请联系学校", created_by=p.counsellor, guardian=guardian
    )
    t["move_request"] = MoveRequest.objects.create(
        case=case, from_state=case.state, to_state=CaseState.CLOSED, requested_by=p.counsellor
    )
    t["plan_template"] = PlanTemplate.objects.create(school=p.school, name="红色预案", targets="保障安全")
    t["team_membership"] = Membership.objects.get(user=p.team_member, organisation=p.school)
    t["staff_membership"] = Membership.objects.get(user=p.reporter, organisation=p.school)
    t["document"] = upload_document(case, slot="other", chunks=[PDF], original_name="a.pdf", by=p.counsellor)
    t["consent"] = record_consent(
        case=case,
        purpose=ConsentPurpose.RECORD_KEEPING,
        given_by=ConsentGiver.STUDENT,
        giver_name="测试学生甲",
        given_on=dt.date.today(),
        form=ConsentForm.WRITTEN,
        actor=p.counsellor,
        proof=PDF,
    )
    t["export_request"] = request_dossier_export(case, by=p.requester, purpose="区教育局专项督导调阅")
    t["report"] = CaseReport.objects.create(author=p.counsellor, school=p.school, title="多方协同 化险为夷")
    # An earlier case of the same student, closed: a case report is drafted from a closed case only.
    t["closed_case"] = Case.objects.create(
        school=p.school,
        reference=f"closed-{p.school.pk}",
        student=student,
        assigned_counsellor=p.counsellor,
        created_by=p.reporter,
        state=CaseState.CLOSED,
        outcome=Outcome.RESOLVED,
        closed_at=now - dt.timedelta(days=30),
    )

    # --- The school's side of the campaign ------------------------------------------------------
    t["right"] = FilingRight.objects.create(
        campaign=campaign, filer=p.filer, school=p.school, granted_by=p.provincial_admin
    )
    # A match's earlier side has the lower key: made first, by another filer of the province.
    earlier = make_submission(campaign, other_school or p.school, title="另一案例")
    submission = make_submission(campaign, p.school, filer=p.filer)
    t["submission"] = submission
    t["match"] = OriginalityMatch.objects.create(earlier=earlier, later=submission, jaccard=0.5, containment=0.6)
    t["message"] = Message.objects.create(
        channel="sms", template="campaign_invite", to_address="13700000000", body="邀请", recipient=p.filer
    )
    round_ = open_round(campaign, level=RoundLevel.PROVINCE, province=p.province, by=p.provincial_admin)
    t["round"] = round_
    t["assignment"] = Assignment.objects.create(
        round=round_, submission=submission, reviewer=p.reviewer, assigned_by=p.provincial_admin
    )
    t["recommendation"] = open_recommendation(campaign, p.province, by=p.provincial_admin)
    # Recommended to the nation: what the national selection acts on.
    t["recommended_submission"] = make_submission(
        campaign, p.school, state=SubmissionState.RECOMMENDED, title="推荐案例"
    )

    from xinan.alerts.enums import AlertRule
    from xinan.alerts.models import Alert

    t["alert"] = Alert.objects.create(
        rule=AlertRule.values[0],
        actor=p.team_member,
        organisation=p.school,
        window_start=now - dt.timedelta(hours=1),
        window_end=now,
        count=9,
    )
    return t
