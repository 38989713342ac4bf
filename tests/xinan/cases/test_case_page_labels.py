"""What the case page says must be true: the reported categories are on it, an unsigned plan
or agreement is shown as unsigned, a closed case shows its outcome (not "in crisis")."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from xinan.cases.enums import STATE_COLOURS, CaseState, RiskLevel
from xinan.cases.models import Case
from xinan.cases.services import safety
from xinan.cases.services.reporting import file_first_report


def _page(client, user, case) -> str:
    client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_reported_categories_appear_on_the_case_page(client, world, student):
    # Arrange
    case = file_first_report(
        school=world.school_a,
        reporter=world.staff_a,
        student=student,
        categories=["suicide_talk", "suicide_plan"],
        observed="说已经准备好了药",
    ).case

    # Act
    html = _page(client, world.team_leader_a, case)

    # Assert
    categories = html.split('data-test="case-categories"')[1].split("</p>")[0]
    assert "谈论自杀/轻生" in categories
    assert "自杀计划或准备" in categories


def test_unsigned_plan_and_agreement_are_shown_unsigned(client, world, case, student):
    # Arrange
    safety.save_safety_plan(
        case,
        by=world.counsellor_a,
        review_on=timezone.localdate() + dt.timedelta(days=7),
        warning_signs="连续失眠",
        coping="听音乐",
        distractions="操场",
        helpers="室友",
        professionals="学校值班心理老师",
        environment="药品由家长保管",
        reasons_for_living="想看妹妹长大",
    )
    safety.create_guardian_agreement(case, by=world.counsellor_a, guardian=student.guardians.first())

    # Act
    html = _page(client, world.counsellor_a, case)

    # Assert
    assert "已签署（纸质版已存档）" not in html
    assert 'data-test="safety-plan-unsigned"' in html
    assert 'data-test="guardian-agreement-unsigned"' in html
    assert ">已签署<" not in html.split('data-test="case-safety"')[1].split("</section>")[0]


def test_closed_case_shows_its_outcome_not_in_crisis(client, world, case):
    # Arrange
    Case.objects.filter(pk=case.pk).update(
        state=CaseState.CLOSED, outcome="resolved", in_crisis=True, closed_at=timezone.now()
    )

    # Act
    html = _page(client, world.team_leader_a, case)

    # Assert
    assert "处于危机状态" not in html.split("</header>")[0]
    assert "危机解除" in html.split('data-test="case-outcome"')[1].split("</span>")[0]


def test_open_case_in_crisis_still_says_so(client, world, case):
    # Arrange
    Case.objects.filter(pk=case.pk).update(state=CaseState.INTERVENTION, in_crisis=True)

    # Act
    html = _page(client, world.team_leader_a, case)

    # Assert
    assert 'data-test="case-in-crisis"' in html


def test_state_badges_have_their_own_palette_not_the_risk_colours(client, world, case):
    # Arrange
    risk_colours = {level.colour for level in RiskLevel} | {"green", "grey"}

    # Act
    html = _page(client, world.team_leader_a, case)

    # Assert
    assert not set(STATE_COLOURS.values()) & risk_colours
    assert 'class="badge state-reported" data-test="case-state"' in html


def test_class_teacher_sees_which_student_the_case_is_about(client, world, case):
    # Arrange
    client.force_login(world.class_teacher_a)

    # Act
    html = client.get(reverse("cases:guardian_log", args=[case.pk])).content.decode()

    # Assert
    assert "测试学生甲" in html.split('data-test="case-student"')[1].split("</p>")[0]
