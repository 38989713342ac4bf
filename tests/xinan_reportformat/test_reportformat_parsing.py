"""Parsing the ways real authors write the template."""

import pytest

from xinan_reportformat import check_report, parse_text
from xinan_reportformat.model import OTHER_SECTION

BODY = {
    "basic_info": "小王（化名），男，20岁，某校学生。",
    "occurrence": "某天晚上，室友发现小王在宿舍情绪激动。",
    "process": "辅导员立即赶到现场，稳定情绪并联系家长。",
    "result": "小王接受治疗后情绪平稳，危机解除。",
    "experience": "及时发现和多方协作十分重要。",
}


def build_report(headings: list[str], *, subtitle="——一例由恋爱挫折引发的轻生自杀危机的干预报告") -> str:
    parts = ["守护生命", subtitle, ""]
    for heading, body in zip(headings, BODY.values(), strict=False):
        parts += [heading, body, ""]
    return "\n".join(parts)


def keys_of(report) -> list[str]:
    return [s.key for s in report.sections]


ALL_KEYS = list(BODY)


@pytest.mark.parametrize(
    "headings",
    [
        pytest.param(
            [
                "一、当事人基本信息",
                "二、危机的发生",
                "三、干预过程",
                "四、干预结果",
                "五、经验分享",
            ],
            id="template",
        ),
        pytest.param(
            [
                "（一）当事人基本信息",
                "（二）危机的发生",
                "（三）干预过程",
                "（四）干预结果",
                "（五）经验分享",
            ],
            id="paren-cn",
        ),
        pytest.param(
            [
                "(一)基本信息",
                "(二)危机发生",
                "(三)干预过程与方法",
                "(四)结果",
                "(五)经验与反思",
            ],
            id="half-width-paren-reworded",
        ),
        pytest.param(
            [
                "1. 基本信息",
                "2. 危机发生",
                "3. 干预过程与方法",
                "4. 干预效果",
                "5. 总结与反思",
            ],
            id="arabic",
        ),
        pytest.param(
            [
                "1、当事人基本情况",
                "2、危机事件的发生",
                "3、危机干预过程",
                "4、干预结果",
                "5、经验分享",
            ],
            id="arabic-comma",
        ),
        pytest.param(
            ["当事人基本信息", "危机的发生", "干预过程", "干预结果", "经验分享"],
            id="no-numbering",
        ),
        pytest.param(
            [
                "一、当事人基本信息：",
                "二、危机的发生：",
                "三、干预过程：",
                "四、干预结果：",
                "五、经验分享：",
            ],
            id="trailing-colon",
        ),
        pytest.param(
            [
                "一. 当事人基本信息",
                "二. 危机的发生",
                "三. 干预过程",
                "四. 干预结果",
                "五. 经验分享",
            ],
            id="cn-dot",
        ),
        pytest.param(
            [
                "第一部分 基本信息",
                "第二部分 危机发生",
                "第三部分 干预过程",
                "第四部分 干预结果",
                "第五部分 经验启示",
            ],
            id="chapter",
        ),
        pytest.param(
            [
                "【当事人基本信息】",
                "【危机的发生】",
                "【干预过程】",
                "【干预结果】",
                "【经验分享】",
            ],
            id="brackets",
        ),
        pytest.param(
            [
                "一、当 事 人 基 本 信 息",
                "二、危 机 的 发 生",
                "三、干 预 过 程",
                "四、干 预 结 果",
                "五、经 验 分 享",
            ],
            id="spaced",
        ),
    ],
)
def test_parse_text_headings_variants_find_every_section(headings):
    # Arrange
    text = build_report(headings)

    # Act
    report = parse_text(text)

    # Assert
    assert keys_of(report) == ALL_KEYS
    assert [s.text for s in report.sections] == list(BODY.values())


def test_parse_text_missing_section_is_reported():
    # Arrange
    headings = ["一、当事人基本信息", "二、危机的发生", "三、干预过程", "四、经验分享"]
    body = dict(BODY)
    body.pop("result")
    text = "\n".join(
        ["守护生命", "——一例由恋爱挫折引发的轻生自杀危机的干预报告"]
        + [f"{h}\n{b}" for h, b in zip(headings, body.values(), strict=True)]
    )

    # Act
    report = parse_text(text)
    problems = check_report(report)

    # Assert
    assert keys_of(report) == ["basic_info", "occurrence", "process", "experience"]
    missing = [p for p in problems if p.code == "section_missing"]
    assert [p.section for p in missing] == ["result"]
    assert "干预结果" in missing[0].message


def test_parse_text_inline_heading_text_is_kept():
    # Arrange
    text = (
        "标题\n——一例由失恋引发的自伤危机的干预报告\n一、基本信息：小赵（化名），女，18岁。\n二、危机的发生：某日深夜。"
    )

    # Act
    report = parse_text(text)

    # Assert
    assert keys_of(report) == ["basic_info", "occurrence"]
    assert report.section("basic_info").text == "小赵（化名），女，18岁。"
    assert report.section("occurrence").text == "某日深夜。"


def test_parse_text_unknown_section_in_document_style_is_other():
    # Arrange
    headings = [
        "一、当事人基本信息",
        "二、危机的发生",
        "三、干预过程",
        "四、干预结果",
        "五、经验分享",
    ]
    text = build_report(headings) + "\n六、附录\n相关量表略。"

    # Act
    report = parse_text(text)

    # Assert
    assert keys_of(report) == [*ALL_KEYS, OTHER_SECTION]
    assert report.sections[-1].heading == "附录"


def test_parse_text_sub_items_in_other_numbering_stay_in_section():
    # Arrange
    text = build_report(
        [
            "一、当事人基本信息",
            "二、危机的发生",
            "三、干预过程",
            "四、干预结果",
            "五、经验分享",
        ]
    )
    text += "（一）重视早期识别\n要关注学生的异常表现。\n1. 经验总结\n多方协作。"

    # Act
    report = parse_text(text)

    # Assert
    assert keys_of(report) == ALL_KEYS
    assert "（一）重视早期识别" in report.section("experience").text
    assert "1. 经验总结" in report.section("experience").text


@pytest.mark.parametrize("dash", ["——", "—", "--", "－－", "─", "――", "——  ", ""])
def test_parse_text_subtitle_dash_variants_are_read(dash):
    # Arrange
    text = build_report(
        ["一、当事人基本信息"],
        subtitle=f"{dash}一例由恋爱挫折引发的轻生自杀危机的干预报告",
    )

    # Act
    report = parse_text(text)

    # Assert
    assert report.title == "守护生命"
    assert report.subtitle == "一例由恋爱挫折引发的轻生自杀危机的干预报告"
    assert report.subtitle_dash == dash.strip()


def test_parse_text_half_width_punctuation_is_kept_as_written():
    # Arrange
    text = (
        "题目\n--一例由(学业压力)引发的(自我伤害)危机的干预报告\n"
        "1. 基本信息\n小周(化名),男,22岁.\n2. 危机发生\n考试失利后:情绪低落!"
    )

    # Act
    report = parse_text(text)

    # Assert
    assert keys_of(report) == ["basic_info", "occurrence"]
    assert report.section("occurrence").text == "考试失利后:情绪低落!"


def test_parse_text_pdf_wrapped_lines_and_page_artefacts_are_cleaned():
    # Arrange: how a PDF's extracted text looks across a page break.
    text = (
        "标题\n——一例由抑郁症引发自杀危机的干预报告\n\n一、当事人基本信息\n\n"
        "小张（化名），男，21岁，就读于某大学某专业。父母健在，家族无精\n"
        "神病史。性格内向，沉默寡言。\n\n-\n\n- 2 -\n\n第 2 页 共 3 页\n\f"
        "二、危机的发生\n某天上午，辅导员接到同学电话，说小张发来了告别短信，内容\n\n-\n\n"
        "大致是感谢大家的照顾。\n"
    )

    # Act
    report = parse_text(text)

    # Assert
    assert (
        report.section("basic_info").text
        == "小张（化名），男，21岁，就读于某大学某专业。父母健在，家族无精神病史。性格内向，沉默寡言。"
    )
    assert (
        report.section("occurrence").text
        == "某天上午，辅导员接到同学电话，说小张发来了告别短信，内容大致是感谢大家的照顾。"
    )


def test_parse_text_wrapped_latin_words_get_one_space():
    # Arrange
    text = (
        "标题\n——一例由抑郁症引发自杀危机的干预报告\n一、当事人基本信息\n"
        "The student used the app called Mind\nCare every day to talk.\n"
    )

    # Act
    report = parse_text(text)

    # Assert
    assert report.section("basic_info").text == "The student used the app called Mind Care every day to talk."


@pytest.mark.parametrize("marker", ["(样 例)", "（样例）", "样例", "【样例】"])
def test_parse_text_sample_marker_is_removed(marker):
    # Arrange
    text = build_report(["一、当事人基本信息"]).replace("守护生命\n", f"守护生命\n{marker}\n")

    # Act
    report = parse_text(text)

    # Assert
    assert report.has_sample_marker
    assert report.title == "守护生命"
    assert marker not in report.section("basic_info").text


@pytest.mark.parametrize(
    "line",
    [
        "¹ 文中所有人的身份信息以及案例情节都已进行过艺术加工，请勿对号入座。",
        "[1] 文中所有人的身份信息以及案例情节都已进行过艺术加工。",
        "注：文中所有人的身份信息以及案例情节都已进行过艺术加工。",
        "*文中人物情节均经过艺术加工，请勿对号入座。",
    ],
)
def test_parse_text_footnote_forms_are_recognised(line):
    # Arrange
    text = build_report(["一、当事人基本信息", "二、危机的发生"]) + "\n" + line

    # Act
    report = parse_text(text)

    # Assert
    assert len(report.footnotes) == 1
    assert "艺术加工" in report.footnotes[0].text
    assert "艺术加工" not in report.section("occurrence").text


def test_parse_text_wrapped_footnote_is_joined():
    # Arrange
    text = (
        build_report(["一、当事人基本信息"])
        + "\n¹ 文中所有人的身份信息以及案例情节都已进行过艺术加工，请勿对号入座，如有雷\n同，纯属巧合。"
    )

    # Act
    report = parse_text(text)

    # Assert
    assert report.footnotes[0].text.endswith("如有雷同，纯属巧合。")
    assert report.section("basic_info").text == BODY["basic_info"]


def test_parse_text_title_with_footnote_mark_is_cleaned():
    # Arrange
    text = build_report(["一、当事人基本信息"]).replace("守护生命", "守护生命¹")

    # Act
    report = parse_text(text)

    # Assert
    assert report.title == "守护生命"


def test_parse_text_no_subtitle_keeps_title_and_sections():
    # Arrange
    text = build_report(["一、当事人基本信息", "二、危机的发生"], subtitle="")

    # Act
    report = parse_text(text)

    # Assert
    assert report.title == "守护生命"
    assert report.subtitle == ""
    assert keys_of(report) == ["basic_info", "occurrence"]


def test_parse_text_title_that_looks_like_heading_stays_title():
    # Arrange
    text = "危机干预的经验与反思\n——一例由失恋引发的自伤危机的干预报告\n一、基本信息\n某某。\n二、经验分享\n某某。"

    # Act
    report = parse_text(text)

    # Assert
    assert report.title == "危机干预的经验与反思"
    assert keys_of(report) == ["basic_info", "experience"]


def test_parse_text_empty_text_gives_empty_report():
    # Act
    report = parse_text("")

    # Assert
    assert report.title == ""
    assert report.sections == []


def test_parse_text_wrapped_subtitle_is_joined():
    # Arrange
    text = "守护生命\n——一例由恋爱挫折引发的轻生自杀危机的干预报\n告\n一、当事人基本信息\n内容。"

    # Act
    report = parse_text(text)

    # Assert
    assert report.subtitle == "一例由恋爱挫折引发的轻生自杀危机的干预报告"
    assert keys_of(report) == ["basic_info"]


def test_parse_text_same_style_sub_items_do_not_start_sections():
    # Arrange: sections numbered "1." and points inside 经验分享 numbered "1." too.
    headings = ["1. 基本信息", "2. 危机发生", "3. 干预过程", "4. 干预结果", "5. 经验分享"]
    text = build_report(headings) + "1. 重视早期识别\n要关注异常表现。\n2. 家校合作\n及时沟通。\n"

    # Act
    report = parse_text(text)

    # Assert
    assert keys_of(report) == ALL_KEYS
    assert "2. 家校合作" in report.section("experience").text


def test_parse_text_title_mentioning_report_stays_title():
    # Arrange
    text = "一份心理危机干预报告的写作\n——一例由失恋引发的自伤危机的干预报告\n一、基本信息\n某某。"

    # Act
    report = parse_text(text)

    # Assert
    assert report.title == "一份心理危机干预报告的写作"
    assert report.subtitle == "一例由失恋引发的自伤危机的干预报告"


HOSTILE_TEXTS = {  # name → text of a given scale (scale 1 is the hostile size)
    "many-unknown-headings": lambda k: "一、附录\n" * 40_000 * k,
    "many-sections": lambda k: "".join(f"{i % 99 + 1}. 经验\n内容。\n" for i in range(20_000 * k)),
    "long-dash-line": lambda k: "-" * 200_000 * k + "x\n",
    "long-star-line": lambda k: "* " * 100_000 * k + "x\n",
    "one-huge-line": lambda k: "很" * 1_500_000 * k,
    "subtitle-like": lambda k: "——一例由" + "引发的" * 50_000 * k + "危机的干预报告",
    "many-footnotes": lambda k: "¹ 注释没有结束\n" * 50_000 * k,
    "endless-footnote": lambda k: "¹ 注释没有结束\n" + "继续没有结束\n" * 50_000 * k,
}


def _fastest_checks(*texts: str, rounds: int = 3) -> list[float]:
    """The fastest of `rounds` parse-and-check runs of each text, taken in turns.

    Turns spread a burst of load on a shared machine over every text alike, and the collector is
    paused while timing: its full collections scale with everything alive in the test process,
    not with the parser's work.
    """
    import gc
    import time

    best = [float("inf")] * len(texts)
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(rounds):
            for i, text in enumerate(texts):
                started = time.perf_counter()
                assert isinstance(check_report(parse_text(text)), list)
                best[i] = min(best[i], time.perf_counter() - started)
    finally:
        if was_enabled:
            gc.enable()
    return best


@pytest.mark.parametrize("name", list(HOSTILE_TEXTS))
def test_parse_text_hostile_text_is_parsed_in_linear_time(name):
    # Arrange: the same hostile shape at its size and at four times its size. A linear parser takes
    # about four times as long on the second, a quadratic one sixteen times: the gap between the two
    # is wide enough that a burst of load on a shared machine cannot close it, as it could between
    # the two and four of a doubling. A ratio measured in the same run, not a wall-clock limit.
    single, quadruple = HOSTILE_TEXTS[name](1), HOSTILE_TEXTS[name](4)

    # Act
    single_time, quadruple_time = _fastest_checks(single, quadruple)
    ratio = quadruple_time / max(single_time, 1e-3)

    # Assert
    assert ratio < 8, f"{name}: four times the input took {ratio:.1f}× as long"
