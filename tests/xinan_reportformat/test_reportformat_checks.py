"""The format check and its messages."""

import re

import pytest

from xinan_reportformat import Severity, check_report, parse_text

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def codes(problems) -> set[str]:
    return {p.code for p in problems}


def test_check_report_valid_report_has_no_problems(short_report):
    # Act
    problems = check_report(short_report)

    # Assert
    assert problems == []


def test_check_report_missing_subtitle_is_an_error(short_text):
    # Arrange
    report = parse_text(short_text.replace("——一例由学业挫折引发的自我伤害危机的干预报告¹\n", ""))

    # Act
    problems = check_report(report)

    # Assert
    (problem,) = [p for p in problems if p.code == "subtitle_missing"]
    assert problem.severity == Severity.ERROR
    assert "一例由（诱发事件）引发的（危机性质）危机的干预报告" in problem.message


def test_check_report_wrong_subtitle_form_is_an_error(short_text):
    # Arrange
    report = parse_text(short_text.replace("一例由学业挫折引发的自我伤害危机的干预报告", "关于一名学生的危机干预报告"))

    # Act
    problems = check_report(report)

    # Assert
    assert "subtitle_form" in codes(problems)


def test_check_report_placeholder_slots_are_errors(short_text):
    # Arrange
    report = parse_text(short_text.replace("一例由学业挫折引发的自我伤害危机", "一例由xxx引发的xxx危机"))

    # Act
    problems = check_report(report)

    # Assert
    assert {"trigger_placeholder", "nature_placeholder"} <= codes(problems)


def test_check_report_variant_wording_and_dash_are_warnings(short_text):
    # Arrange
    report = parse_text(
        short_text.replace("——一例由学业挫折引发的自我伤害危机的干预报告", "--一例因学业挫折导致的自我伤害危机干预报告")
    )

    # Act
    problems = check_report(report)

    # Assert
    assert codes(problems) == {"subtitle_wording", "subtitle_dash"}
    assert all(p.severity == Severity.WARNING for p in problems)
    dash = next(p for p in problems if p.code == "subtitle_dash")
    assert "“--”" in dash.message
    assert dash.start is not None


def test_check_report_out_of_order_section_is_an_error(short_text):
    # Arrange
    swapped = (
        short_text.replace("三、干预过程", "三、TEMP")
        .replace("四、干预结果", "三、干预过程")
        .replace("三、TEMP", "四、干预结果")
    )

    # Act
    problems = check_report(parse_text(swapped))

    # Assert
    (problem,) = [p for p in problems if p.code == "section_order"]
    assert problem.section == "process"
    assert problem.start is not None
    assert problem.end > problem.start


def test_check_report_empty_section_is_an_error(short_text):
    # Arrange
    report = parse_text(short_text.replace("辅导员当天与小李谈话，联系家长，并陪同她到心理中心接受评估。", ""))

    # Act
    problems = check_report(report)

    # Assert
    (problem,) = problems
    assert (problem.code, problem.section) == ("section_empty", "process")
    assert "干预过程" in problem.message


def test_check_report_empty_commentary_is_fine(short_report):
    # Act
    problems = check_report(short_report)

    # Assert
    assert short_report.section("commentary").text == ""
    assert "section_empty" not in codes(problems)


def test_check_report_over_limit_gives_the_count(short_text):
    # Arrange
    report = parse_text(short_text.replace("小李（化名），女，19岁，某学院大一学生。", "很" * 1990 + "。"))

    # Act
    problems = check_report(report)

    # Assert
    (problem,) = problems
    assert problem.code == "too_long"
    assert problem.severity == Severity.ERROR
    total = 1991 + sum(len(s.text) for s in report.sections if s.key not in ("basic_info", "commentary"))
    assert f"正文共 {total} 字" in problem.message
    assert f"多出 {total - 2000} 字" in problem.message


def test_check_report_missing_footnote_is_a_warning(short_text):
    # Arrange
    report = parse_text(short_text.split("¹ 文中")[0])

    # Act
    problems = check_report(report)

    # Assert
    (problem,) = problems
    assert (problem.code, problem.severity) == ("footnote_missing", Severity.WARNING)


def test_check_report_unknown_and_repeated_sections_are_warnings(short_text):
    # Arrange
    text = short_text.replace("六、专家点评", "六、经验分享\n还有补充。\n七、附录\n量表略。\n八、专家点评")

    # Act
    problems = check_report(parse_text(text))

    # Assert
    assert codes(problems) == {"section_repeated", "section_unknown"}


def test_check_report_text_before_sections_is_a_warning(short_text):
    # Arrange
    text = short_text.replace("\n一、当事人基本信息", "摘要：本文记录了一次干预。\n一、当事人基本信息")

    # Act
    problems = check_report(parse_text(text))

    # Assert
    assert codes(problems) == {"preamble_text"}


@pytest.mark.parametrize("text", ["", "只有一行字", "一、当事人基本信息\n内容。"])
def test_check_report_every_message_is_chinese(text):
    # Act
    problems = check_report(parse_text(text))

    # Assert
    assert problems
    assert all(CHINESE.search(p.message) for p in problems)
    assert all(p.severity in (Severity.ERROR, Severity.WARNING) for p in problems)
