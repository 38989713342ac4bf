"""Issue findings on text nobody here wrote, each with invented examples (never taken from the
public evaluation files): false alarms seen in real filings, misses by class, the learned name
tagger beside the rules, and document-level consistency."""

import pytest

from xinan_deid import Kind, Severity, apply_replacements, default_engine, detect, detect_fast

SERIOUS = (Severity.HIGH, Severity.MEDIUM)


def serious(text, fn=detect):
    return [(f.kind.value, f.text) for f in fn(text) if f.severity in SERIOUS]


def names(text, fn=detect):
    return [f.text for f in fn(text) if f.kind in (Kind.PERSON_NAME, Kind.NICKNAME) and f.severity in SERIOUS]


def test_the_model_is_installed_for_the_full_pipeline():
    assert default_engine().has_model


# --- false alarms seen in real filings -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "复学后每周心理老师面谈一次，每次四十分钟。",
        "休学期间，每周心理咨询师都会打电话询问近况。",
        "出院后，她转到一家精神卫生专科医院继续治疗。",
        "家长同意送往当地精神卫生专科医院评估。",
        "室友扶着她到校医院处理了手腕上的伤口。",
        "宿管老师夜里巡查时发现她不在床上。",
        "楼管老师第二天一早报告了辅导员。",
        "事情发生于凌晨两点左右，室友于凌晨三点才发现。",
        "她于清晨独自离开了宿舍。",
        "身份证号：13010219900307123X，由辅导员核对。",
        "学号：13912345，姓名已隐去。",
        "登记表上的学号和身份证号都填错了。",
        "室友安静地坐在床边陪着她。",
    ],
)
def test_known_false_alarms_raise_no_serious_flag(text):
    flags = [(k, t) for k, t in serious(text) if k in ("person_name", "nickname", "hospital", "teacher_title")]

    assert flags == []


def test_number_after_a_field_label_is_still_flagged_as_a_number():
    flags = serious("学号：13912345，姓名已隐去。")

    assert flags == [("student_number", "13912345")]


def test_drafted_sentence_with_a_title_keeps_its_text():
    text = "复学后每周心理老师面谈一次。"

    assert apply_replacements(text, detect(text)) == text


# --- misses by class ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("当事人高山，男，20岁，大二学生。", "高山"),
        ("常乐，女，19岁，家中独女。", "常乐"),
        ("她的室友文静说，她最近很少说话。", "文静"),
        ("同桌白雪哭着告诉了班主任。", "白雪"),
        ("班长方正发现她没来上课。", "方正"),
        ("带教老师陈光明及时联系了家长。", "陈光明"),
        ("她的责任医师是赵春生。", "赵春生"),
        ("舍友王海洋说她整夜没睡。", "王海洋"),
    ],
)
def test_given_name_that_is_an_ordinary_word_in_a_person_position_is_found_by_the_rules(text, name):
    assert name in names(text, detect_fast)


@pytest.mark.parametrize(
    "text",
    [
        "她的同桌马上要转学了。",
        "舍友于是去找了宿管。",
        "舍友平时说话很少。",
        "同桌何时回来还不知道。",
    ],
)
def test_adverb_after_a_role_noun_is_not_a_name(text):
    assert names(text) == []


def test_department_right_after_a_university_is_flagged():
    flags = serious("她是江南某大学国际教育学院的学生。")

    assert ("department", "国际教育学院") in flags


def test_department_after_a_named_university_is_flagged_with_the_school():
    flags = serious("他考入了南京大学新闻传播学院。")

    assert ("school", "南京大学") in flags
    assert any(k == "department" and "传播学院" in t for k, t in flags)


@pytest.mark.parametrize(("text", "code"), [("机电2101班的一名男生", "机电2101班"), ("她在会计1902班。", "会计1902班")])
def test_class_code_without_grade_is_flagged(text, code):
    assert ("grade_class", code) in serious(text, detect_fast)


def test_transliterated_name_with_interpunct_is_found_by_the_rules():
    assert "彼得·汉森" in names("交换生彼得·汉森也参加了那次班会。", detect_fast)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("上个月，覃海带着志愿者走访了三个村子。", "覃海"),
        ("次日，卜凡代表全班去医院探望。", "卜凡"),
        ("交流会上，迪亚洛介绍了当地的经验。", "迪亚洛"),
        ("当晚，葛优陪她去了医院。", "葛优"),
    ],
)
def test_name_without_any_cue_in_news_prose_is_found_by_the_model(text, name):
    assert name in names(text)
    assert name not in names(text, detect_fast)


def test_model_name_reason_says_where_it_came_from():
    flag = next(f for f in detect("次日，卜凡代表全班去医院探望。") if f.text == "卜凡")

    assert "语言模型" in flag.reason


def test_model_never_overrides_a_title_or_a_nickname():
    text = "后来，小黄也来看望过她。据曹老师介绍，她在班里很少说话。"

    assert [(f.kind.value, f.text) for f in detect(text) if f.kind == Kind.PERSON_NAME] == []


def test_a_place_stretched_over_a_name_the_model_found_gives_way():
    text = "关心和帮助王学军等困难地区的学生，是他多年的心愿。"

    assert "王学军" in names(text)


# --- document-level consistency -------------------------------------------------------------


def test_a_name_established_once_is_flagged_everywhere_with_the_cue():
    text = "她的室友文静说，她最近很少说话。\n后来文静又去了一次咨询室。"

    flags = [f for f in detect(text) if f.text == "文静"]

    assert len(flags) == 2
    assert "前有“室友”" in flags[0].reason
    assert "第1行" in flags[1].reason
    assert "前有“室友”" in flags[1].reason


def test_a_name_the_model_found_is_flagged_at_every_occurrence():
    text = "上个月，覃海带着志愿者走访了三个村子。覃海说，最难的是路。"

    assert names(text).count("覃海") == 2


def test_a_declared_pseudonym_is_never_flagged_by_rules_or_model():
    text = "当事人陈思远（化名），男，19岁。陈思远说他不想回家。次日，陈思远和卜凡代表全班去医院探望。"

    assert "陈思远" not in names(text)
    assert "卜凡" in names(text)


def test_the_official_sample_has_no_serious_flag_with_the_model(official_sample):
    assert serious(official_sample) == []
