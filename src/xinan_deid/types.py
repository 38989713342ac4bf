"""Public value types of the de-identification engine."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Kind(StrEnum):
    PERSON_NAME = "person_name"
    NICKNAME = "nickname"
    TEACHER_TITLE = "teacher_title"
    SCHOOL = "school"
    DEPARTMENT = "department"
    GRADE_CLASS = "grade_class"
    ADDRESS = "address"
    HOSPITAL = "hospital"
    PHONE = "phone"
    ID_NUMBER = "id_number"
    STUDENT_NUMBER = "student_number"
    QQ = "qq"
    WECHAT = "wechat"
    EMAIL = "email"
    DATE = "date"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.PERSON_NAME: "姓名",
    Kind.NICKNAME: "昵称",
    Kind.TEACHER_TITLE: "带姓称呼",
    Kind.SCHOOL: "学校",
    Kind.DEPARTMENT: "院系专业",
    Kind.GRADE_CLASS: "年级班级",
    Kind.ADDRESS: "地址",
    Kind.HOSPITAL: "医院",
    Kind.PHONE: "电话号码",
    Kind.ID_NUMBER: "身份证号",
    Kind.STUDENT_NUMBER: "学号或编号",
    Kind.QQ: "QQ号",
    Kind.WECHAT: "微信号",
    Kind.EMAIL: "电子邮箱",
    Kind.DATE: "具体日期",
}


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return {"high": "高", "medium": "中", "low": "低"}[self.value]


# Kinds whose replacement is a pseudonym (化名) rather than a placeholder.
PSEUDONYM_KINDS = frozenset({Kind.PERSON_NAME, Kind.NICKNAME})

PSEUDONYM_MARK = "（化名）"
DELETED = "[已删除]"


@dataclass(frozen=True, slots=True)
class Flag:
    """One span of the original text that could identify a person.

    ``start``/``end`` are Python string indices into the text given to
    ``detect``; ``text == original[start:end]``.
    """

    start: int
    end: int
    kind: Kind
    severity: Severity
    reason: str
    text: str
    replacement: str
    # True when the replacement is a pseudonym that takes "（化名）" on its
    # first use (full names and nicknames, not 伟伟/小伟 forms of a name).
    marks_pseudonym: bool = False

    def to_dict(self) -> dict:
        data = asdict(self)
        del data["marks_pseudonym"]
        data["kind"] = self.kind.value
        data["severity"] = self.severity.value
        return data
