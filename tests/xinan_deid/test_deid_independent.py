"""Classes of misses found on case-report prose written independently (part 5, a development
part), each with invented examples: none of the names, places or sentences below is taken
from that part."""

import pytest

from xinan_deid import Kind, Severity, detect_fast

SERIOUS = (Severity.HIGH, Severity.MEDIUM)


def spans(text, kind, fn=detect_fast):
    return [f.text for f in fn(text) if f.kind == kind]


# --- departments and classes after a school ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "department", "grade"),
    [
        ("他是东江理工大学化工学院化工2103班学生。", "化工学院", "化工2103班"),
        ("外国语学院俄语2201班学生，女。", "外国语学院", "俄语2201班"),
    ],
)
def test_class_code_stops_at_the_department_before_it(text, department, grade):
    # Arrange / Act
    flags = detect_fast(text)

    # Assert
    assert department in [f.text for f in flags if f.kind == Kind.DEPARTMENT]
    assert grade in [f.text for f in flags if f.kind == Kind.GRADE_CLASS]


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("院系：史学院　专业：历史学", "史学院"),
        ("下午接到艺术设计学院辅导员的电话。", "艺术设计学院"),
        ("她是商学院研二的学生。", "商学院"),
        ("林海，男，大三，轮机学院学生。", "轮机学院"),
        ("对话西岭师范大学教育学院2021级本科生。", "教育学院"),
    ],
)
def test_department_named_without_its_school_is_flagged(text, department):
    assert department in spans(text, Kind.DEPARTMENT)


@pytest.mark.parametrize(
    "text",
    [
        "全学院学生参加了讲座，各学院辅导员到场。",
        "学院领导高度重视，学院学生会协助。",
        "她想考进一所好的学院学习。",
    ],
)
def test_generic_college_words_are_not_departments(text):
    assert spans(text, Kind.DEPARTMENT) == []


def test_school_does_not_reach_back_over_a_verb_to_a_place():
    # Arrange
    text = "他从汕头来，到南京读大学已经三年了。"

    # Act
    schools = spans(text, Kind.SCHOOL)

    # Assert
    assert schools == []
    assert "南京" in spans(text, Kind.ADDRESS)
