"""Reading trigger (诱发事件) and crisis nature (危机性质) from the subtitle."""

import pytest

from xinan_reportformat import parse_subtitle


@pytest.mark.parametrize(
    ("line", "trigger", "nature", "official"),
    [
        ("——一例由抑郁症引发自杀危机的干预报告¹", "抑郁症", "自杀", True),
        ("——一例由恋爱挫折引发的轻生自杀危机的干预报告", "恋爱挫折", "轻生自杀", True),
        ("——一例由（恋爱挫折）引发的（自我伤害）危机的干预报告", "恋爱挫折", "自我伤害", True),
        ("--一例由(学业压力)引发的(攻击伤人)危机的干预报告", "学业压力", "攻击伤人", True),
        ("一例由家庭变故引发的自伤危机的干预报告", "家庭变故", "自伤", True),
        ("—— 一例由 网络借贷 引发的 轻生 危机的干预报告", "网络借贷", "轻生", True),
        ("——一例由“宿舍矛盾”引发的“攻击伤人”危机的干预报告", "宿舍矛盾", "攻击伤人", True),
        ("——一例因学业压力导致的自伤危机干预报告", "学业压力", "自伤", False),
        ("——一个由失恋引起的自杀危机的干预案例报告", "失恋", "自杀", False),
    ],
)
def test_parse_subtitle_variants_give_trigger_and_nature(line, trigger, nature, official):
    # Act
    info = parse_subtitle(line)

    # Assert
    assert info.recognised
    assert (info.trigger, info.nature, info.official_form) == (trigger, nature, official)


@pytest.mark.parametrize(
    ("line", "dash"),
    [("——一例", "——"), ("—一例", "—"), ("--一例", "--"), ("－－一例", "－－"), ("─一例", "─"), ("一例", "")],
)
def test_parse_subtitle_dash_is_reported_as_written(line, dash):
    # Act
    info = parse_subtitle(line + "由失恋引发的自伤危机的干预报告")

    # Assert
    assert info.dash == dash
    assert info.trigger == "失恋"


@pytest.mark.parametrize("line", ["", "——", "守护生命", "——关于一次危机干预的思考", "一例危机的干预报告"])
def test_parse_subtitle_unrelated_text_is_not_recognised(line):
    # Act
    info = parse_subtitle(line)

    # Assert
    assert not info.recognised
    assert info.trigger is None
    assert info.nature is None
