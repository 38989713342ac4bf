"""The list query and the object rule of a case agree for every standard person."""

import dataclasses
import datetime as dt

from django.utils import timezone

from xinan.cases.enums import CaseRole
from xinan.cases.models import CaseMember, GlassBreak
from xinan.cases.services.queries import cases_for_user
from xinan.cases.services.reporting import file_first_report
from xinan.organisations.services.queries import forget_held_roles


def test_cases_for_user_agrees_with_view_case(world, student, case):
    other = file_first_report(school=world.school_a, reporter=world.staff_a, student=student, categories=["other"]).case
    CaseMember.objects.create(case=other, user=world.counsellor_a2, role=CaseRole.COUNSELLOR)
    GlassBreak.objects.create(
        case=case,
        user=world.health_teacher_a,
        reason="紧急情况需要查看",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    GlassBreak.objects.create(
        case=other,
        user=world.health_teacher_a,
        reason="已过期的授权",
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    people = [value for field in dataclasses.fields(world) if hasattr(value := getattr(world, field.name), "phone")]
    checked = 0
    for person in people:
        forget_held_roles(person)
        listed = set(cases_for_user(person))
        for item in (case, other):
            assert (item in listed) == person.has_perm("cases.view_case", item), (person.pk, item.pk)
            checked += 1
    assert checked == 2 * len(people)
