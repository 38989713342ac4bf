"""What each rule flags, and what it leaves alone."""

import itertools
import re

import pytest

from xinan_deid import Engine, Kind, Severity, detect


def _w(text: str) -> list[str]:
    return text.split()


def _found(text: str) -> list[tuple[str, Kind]]:
    return [(f.text, f.kind) for f in detect(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("当事人欧阳明轩，男，20岁。", "欧阳明轩"),
        ("室友司马懿然说她整夜没睡。", "司马懿然"),
        ("诸葛亮亮同学最近很少上课。", "诸葛亮亮"),
        ("辅导员联系了上官婉儿的母亲。", "上官婉儿"),
        ("来访者仉子墨因失眠前来咨询。", "仉子墨"),
        ("学生王芳的成绩一直很好。", "王芳"),
        ("张伟和李娜是同一个宿舍的。", "张伟"),
    ],
)
def test_person_name_is_flagged_high(text, name):
    flags = [f for f in detect(text) if f.kind == Kind.PERSON_NAME]

    assert name in [f.text for f in flags]
    assert all(f.severity == Severity.HIGH for f in flags)


def test_given_name_only_mentions_follow_a_full_name():
    text = "当事人张伟，男。后来伟伟告诉室友，小伟其实很害怕。"

    assert _found(text) == [("张伟", Kind.PERSON_NAME), ("伟伟", Kind.PERSON_NAME), ("小伟", Kind.PERSON_NAME)]


@pytest.mark.parametrize("word", _w("高兴 方法 王国 常常 明显 白天 向往 金钱 时间 成绩 关系"))
def test_common_word_shaped_like_a_name_is_not_flagged(word):
    text = f"他说：“{word}对我来说很重要。”后来{word}成了我们讨论的话题。"

    assert _found(text) == []


@pytest.mark.parametrize("nickname", ["小李", "老王", "阿强", "小欧阳"[:2]])
def test_nickname_is_flagged_medium(nickname):
    flags = detect(f"那天晚上{nickname}一直没有回宿舍。")

    assert [(f.text, f.kind, f.severity) for f in flags] == [(nickname, Kind.NICKNAME, Severity.MEDIUM)]


@pytest.mark.parametrize("title", ["王老师", "李辅导员", "张医生", "刘班主任"])
def test_teacher_title_is_low(title):
    flags = detect(f"第二天，{title}找他谈了一次话。")

    assert [(f.text, f.kind, f.severity) for f in flags] == [(title, Kind.TEACHER_TITLE, Severity.LOW)]


@pytest.mark.parametrize(
    "school",
    _w("北京师范大学 华南理工大学 广州市第一中学 深圳实验高中 北师大 华师 清华 人大 衡水二中 长沙市实验小学"),
)
def test_named_school_is_flagged(school):
    flags = detect(f"她曾就读于{school}，成绩优异。")

    assert (school, Kind.SCHOOL) in [(f.text, f.kind) for f in flags]


@pytest.mark.parametrize("text", _w("就读于某大学某专业 某高校辅导员 回到学校以后 本校学生 他考上了大学 全国人大代表"))
def test_generic_school_words_are_not_flagged(text):
    assert _found(text) == []


@pytest.mark.parametrize(("dept", "suffix"), [("计算机学院", "学院"), ("数学系", "系"), ("临床医学专业", "专业")])
def test_named_department_is_flagged_medium(dept, suffix):
    flags = detect(f"他是{dept}的学生。")

    assert [(f.text, f.kind, f.severity, f.replacement) for f in flags] == [
        (dept, Kind.DEPARTMENT, Severity.MEDIUM, "某" + suffix)
    ]


def test_generic_department_is_not_flagged():
    assert _found("他是某学院的学生，学院领导很重视。") == []


@pytest.mark.parametrize(
    ("text", "span", "severity"),
    [
        ("她是高二(3)班的学生。", "高二(3)班", Severity.MEDIUM),
        ("她是高二（3）班的学生。", "高二（3）班", Severity.MEDIUM),
        ("他在2021级计算机1班。", "2021级计算机1班", Severity.MEDIUM),
        ("他是2019级的学生。", "2019级", Severity.MEDIUM),
        ("他今年大三。", "大三", Severity.LOW),
    ],
)
def test_grade_and_class(text, span, severity):
    flags = detect(text)

    assert [(f.text, f.kind, f.severity) for f in flags] == [(span, Kind.GRADE_CLASS, severity)]


@pytest.mark.parametrize(
    ("text", "span", "severity"),
    [
        ("家住广州市天河区五山路381号。", "广州市天河区五山路381号", Severity.HIGH),
        ("住在阳光小区3栋2单元502室。", "阳光小区3栋2单元502室", Severity.HIGH),
        ("老家在湖南省邵阳市隆回县。", "湖南省邵阳市隆回县", Severity.MEDIUM),
        ("她来自四川。", "四川", Severity.LOW),
    ],
)
def test_address(text, span, severity):
    flags = detect(text)

    assert [(f.text, f.kind, f.severity) for f in flags] == [(span, Kind.ADDRESS, severity)]


@pytest.mark.parametrize("hospital", _w("北京大学第六医院 安定医院 杭州市精神卫生中心 广州市第三人民医院"))
def test_named_hospital_is_flagged(hospital):
    flags = detect(f"家长陪同他到{hospital}就诊。")

    assert [(f.text, f.kind) for f in flags] == [(hospital, Kind.HOSPITAL)]


@pytest.mark.parametrize("text", _w("家长陪同他到精神卫生中心就诊。 带孩子去医院看一看。 转介到当地的精神专科医院。"))
def test_generic_hospital_is_not_flagged(text):
    assert _found(text) == []


@pytest.mark.parametrize(
    "phone",
    [
        "13800138000",
        "138-0013-8000",
        "138 0013 8000",
        "+86 13800138000",
        "+86-138-0013-8000",
        "(+86)13800138000",
        "１３８００１３８０００",
        "010-12345678",
        "(020)37627607",
        "0755 23456789",
    ],
)
def test_phone_numbers_in_any_format(phone):
    text = f"电话：{phone}。"

    assert [(f.text, f.kind, f.severity) for f in detect(text)] == [(phone, Kind.PHONE, Severity.HIGH)]


def test_id_number_with_valid_and_bad_checksum():
    good, bad = "11010519491231002X", "110105194912310021"

    flags = detect(f"身份证{good}，另一张写成了{bad}，旧证号110105491231002。")

    assert [(f.text, f.kind) for f in flags] == [
        (good, Kind.ID_NUMBER),
        (bad, Kind.ID_NUMBER),
        ("110105491231002", Kind.ID_NUMBER),
    ]
    assert "校验位" not in flags[0].reason
    assert "校验位" in flags[1].reason


@pytest.mark.parametrize(
    ("text", "span", "kind"),
    [
        ("学号：2019213456", "2019213456", Kind.STUDENT_NUMBER),
        ("学号为B20190123", "B20190123", Kind.STUDENT_NUMBER),
        ("QQ：12345678", "12345678", Kind.QQ),
        ("qq号 987654321", "987654321", Kind.QQ),
        ("微信号wxid_abc123def", "wxid_abc123def", Kind.WECHAT),
        ("微信：zhang_wei2003", "zhang_wei2003", Kind.WECHAT),
        ("邮箱zw.test@example.edu.cn", "zw.test@example.edu.cn", Kind.EMAIL),
    ],
)
def test_account_numbers(text, span, kind):
    assert [(f.text, f.kind) for f in detect(text)] == [(span, kind)]


@pytest.mark.parametrize(
    ("text", "span", "severity"),
    [
        ("2020年5月3日，他留下了遗书。", "2020年5月3日", Severity.MEDIUM),
        ("2020-05-03，他留下了遗书。", "2020-05-03", Severity.MEDIUM),
        ("二〇二〇年五月三日，他留下了遗书。", "二〇二〇年五月三日", Severity.MEDIUM),
        ("5月3日，他留下了遗书。", "5月3日", Severity.LOW),
        ("2020年5月，他留下了遗书。", "2020年5月", Severity.LOW),
    ],
)
def test_dates(text, span, severity):
    assert [(f.text, f.kind, f.severity) for f in detect(text)] == [(span, Kind.DATE, severity)]


def test_relative_dates_are_not_flagged():
    assert _found("一天上午，五一假期过后，秋季开学时，他回到了学校。") == []


def test_flags_are_sorted_non_overlapping_and_index_the_original():
    text = "当事人欧阳明轩（２００３年５月３日出生）就读于华南理工大学，手机１３８００１３８０００。"

    flags = detect(text)

    assert [f.start for f in flags] == sorted(f.start for f in flags)
    assert all(a.end <= b.start for a, b in itertools.pairwise(flags))
    assert all(text[f.start : f.end] == f.text for f in flags)


def test_every_reason_is_chinese():
    text = "当事人欧阳明轩就读于华南理工大学计算机学院2021级计算机1班，学号2021123456，王老师。"

    for f in detect(text):
        assert re.search(r"[\u4e00-\u9fff]", f.reason)
        assert not re.search(r"[A-Za-z]{3,}", f.reason)


def test_engine_instances_are_independent_and_equivalent():
    text = "当事人张伟，电话13800138000。"

    assert Engine().detect(text) == detect(text)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("那天凌晨，韩梅梅给室友发了一条微信。", ["韩梅梅"]),
        ("辅导员陈老师立刻联系了她的父亲刘建军。", ["刘建军"]),
        ("据宿舍长吴磊反映，李想已经两天没回宿舍了。", ["吴磊", "李想"]),
        ("郑爽的母亲在电话里哭了。", ["郑爽"]),
        ("我们先后与许晴、杜鹏谈话。", ["许晴", "杜鹏"]),
        ("咨询师冯雪第一时间赶到现场。", ["冯雪"]),
        ("宋晓峰，男，19岁，某大学大一学生。", ["宋晓峰"]),
        ("谢婷婷和她的男朋友吵架后离开了学校。", ["谢婷婷"]),
        ("蔡徐坤在宿舍里一直不说话。", ["蔡徐坤"]),
        ("夏雨的父母在外地打工。", ["夏雨"]),
        ("覃文说他不想再读书了。", ["覃文"]),
        ("我找到陈晨的时候，他正坐在天台边上。", ["陈晨"]),
        ("金鑫不愿意回家。", ["金鑫"]),
        ("付强、任杰、宋佳是同一个宿舍的。", ["付强", "任杰", "宋佳"]),
        ("李明想了想说。", ["李明"]),
        ("张伟明天来。", ["张伟"]),
        ("联系人：周中梳、梁家湛，联系电话：020-37627607。", ["周中梳", "梁家湛"]),
        ("西绕加措 010-58581696", ["西绕加措"]),
    ],
)
def test_names_in_realistic_sentences(text, names):
    assert [f.text for f in detect(text) if f.kind == Kind.PERSON_NAME] == names
