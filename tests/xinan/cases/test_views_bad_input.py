"""Bad input on every case-work form: missing, oversized and wrong-type values give 400 with
Chinese messages, keep what was typed, and save nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.xinan.cases.test_views_work import POST_VIEWS, day, now_field, snapshot
from xinan.cases.enums import TaskKind

MOMENTS = {"at", "held_at", "received_at", "starts_on", "ends_on", "until", "review_on"}
CHOICES = {"channel", "kind", "response", "role", "attendees", "guardian", "counsellor", "user"}
NUMBERS = {"follow_up_every_days"}
CHINESE_ERROR = re.compile(r'class="errorlist[^"]*"[^>]*>\s*<li>[^<]*[\u4e00-\u9fff]')
WHO = {"counselling_note_add": "counsellor_a", "counselling_share": "counsellor_a"}


def _text_keys(data: dict) -> list[str]:
    return [key for key in data if key not in MOMENTS | CHOICES | NUMBERS | {"confirm"}]


def _bad_cases():
    for view in POST_VIEWS:
        yield pytest.param(view, "missing", id=f"{view.name}-missing")
        yield pytest.param(view, "oversized", id=f"{view.name}-oversized")
        yield pytest.param(view, "wrong_type", id=f"{view.name}-wrong_type")


def _bad(kind: str, data: dict) -> dict | None:
    if kind == "missing":
        return {}
    if kind == "oversized":
        keys = _text_keys(data)
        return {**data, **{key: "长" * 20001 for key in keys}} if keys else None
    wrong = {}
    for key in data:
        if key in MOMENTS:
            wrong[key] = "下周三"
        elif key in CHOICES or key in NUMBERS:
            wrong[key] = "不是选项"
    return {**data, **wrong} if wrong else None


@pytest.mark.parametrize(("view", "kind"), list(_bad_cases()))
def test_bad_input_is_refused_in_chinese_and_saves_nothing(client, world, case, view, kind):
    url = reverse(f"cases:{view.name}", args=view.args(case, world))
    data = _bad(kind, view.post(case, world))
    if data is None:
        pytest.skip("this form has no field of that kind")
    client.force_login(getattr(world, WHO.get(view.name, "team_leader_a")))
    before = snapshot(case)
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert CHINESE_ERROR.search(html), html[-3000:]
    assert snapshot(case) == before


def test_missing_value_message_is_chinese(client, world, case):
    client.force_login(world.counsellor_a)
    response = client.post(reverse("cases:referral", args=[case.pk]), {"agency": "某医院"})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()


def test_guardian_refusal_without_words_keeps_what_was_typed(client, world, case):
    client.force_login(world.class_teacher_a)
    data = {
        "guardian_text": "外婆",
        "at": now_field(),
        "channel": "phone",
        "said": "建议带孩子就医的完整说明",
        "response": "refused",
    }
    response = client.post(reverse("cases:guardian_contact", args=[case.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "请记录监护人的原话" in html
    assert "建议带孩子就医的完整说明" in html
    assert "外婆" in html
    assert case.guardian_contacts.count() == 0
    assert not case.tasks.filter(kind=TaskKind.ESCALATION).exists()  # only the report's first-assessment task


def test_guardian_contact_needs_a_guardian(client, world, case):
    client.force_login(world.counsellor_a)
    data = {"at": now_field(), "channel": "phone", "said": "告知", "response": "informed"}
    response = client.post(reverse("cases:guardian_contact", args=[case.pk]), data)
    assert response.status_code == 400
    assert "请选择监护人" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("safety_plan", {"review_on": day(0)}, "复查日期应晚于今天"),
        ("aftercare", {"plan": "每周回访", "follow_up_every_days": "7", "until": day(-1)}, "跟踪截止日期应晚于今天"),
        ("aftercare", {"plan": "每周回访", "follow_up_every_days": "0", "until": day(9)}, "1"),
        ("status_event", {"kind": "leave", "starts_on": day(3), "ends_on": day(1)}, "结束日期不能早于开始日期"),
        ("follow_up", {"at": "2099-01-01T08:00", "channel": "phone", "note": "未来"}, "时间不能晚于现在"),
    ],
)
def test_dates_and_numbers_out_of_range(client, world, case, name, data, message):
    from tests.xinan.cases.test_views_work import PLAN_STEPS

    if name == "safety_plan":
        data = {**PLAN_STEPS, **data}
    client.force_login(world.counsellor_a)
    before = snapshot(case)
    response = client.post(reverse(f"cases:{name}", args=[case.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot(case) == before


def test_closed_case_refuses_new_records_with_a_message(client, world, case):
    case.state = "closed"
    case.save(update_fields=["state"])
    client.force_login(world.counsellor_a)
    response = client.post(
        reverse("cases:referral", args=[case.pk]), {"agency": "某医院", "department": "", "reason": "评估"}
    )
    assert response.status_code == 400
    assert "个案已结案" in response.content.decode()
    assert case.referrals.count() == 0
