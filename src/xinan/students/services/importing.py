"""Excel import of the student register.

The rule is all or nothing: every row is validated first and every error is shown (row, column,
message); nothing is saved until the whole file is valid, and then everything is saved in one
transaction. Importing only the valid rows of a file that has errors would leave the school with
a register it cannot trust (which rows got in?), and the fix — correcting the file and uploading
it again — is quick, because a re-import updates the students it already holds (matched by
student number) instead of duplicating them.

Cells are read as stored text and never evaluated: a cell holding a formula (=, +, -, @) is kept
as the text of that formula. Empty optional cells on a re-import keep the stored value.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.accounts.validators import normalise_phone
from xinan.audit.services.record import record
from xinan.crypto.keys import blind_index
from xinan.organisations.models import Organisation
from xinan.spreadsheets import ImportFileError, RowError, cell_text, excel_safe
from xinan.spreadsheets import build_template as build_sheet_template
from xinan.spreadsheets import read_rows as read_sheet_rows
from xinan.students.enums import GuardianRelation, Sex
from xinan.students.models import Guardian, SchoolClass, Student

__all__ = ["ImportFileError", "RowError", "build_template", "cell_text", "excel_safe", "import_students", "read_rows"]

HEADERS = ("学号", "姓名", "性别", "出生日期", "年级", "班级", "监护人姓名", "监护人关系", "监护人电话")
FIELDS = (
    "number",
    "name",
    "sex",
    "birth_date",
    "grade",
    "class_name",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
)
REQUIRED_HEADERS = ("学号", "姓名")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

SEX_WORDS = {"男": Sex.MALE, "男性": Sex.MALE, "女": Sex.FEMALE, "女性": Sex.FEMALE}
RELATION_WORDS = {
    "父亲": GuardianRelation.FATHER,
    "父": GuardianRelation.FATHER,
    "爸爸": GuardianRelation.FATHER,
    "母亲": GuardianRelation.MOTHER,
    "母": GuardianRelation.MOTHER,
    "妈妈": GuardianRelation.MOTHER,
    "祖父母/外祖父母": GuardianRelation.GRANDPARENT,
    "祖父": GuardianRelation.GRANDPARENT,
    "祖母": GuardianRelation.GRANDPARENT,
    "外祖父": GuardianRelation.GRANDPARENT,
    "外祖母": GuardianRelation.GRANDPARENT,
    "爷爷": GuardianRelation.GRANDPARENT,
    "奶奶": GuardianRelation.GRANDPARENT,
    "外公": GuardianRelation.GRANDPARENT,
    "外婆": GuardianRelation.GRANDPARENT,
    "其他监护人": GuardianRelation.OTHER,
    "其他": GuardianRelation.OTHER,
}
NUMBER_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z_\-]*")
DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
EARLIEST_BIRTH = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class StudentRow:
    row: int
    number: str
    name: str
    sex: str = ""
    birth_date: dt.date | None = None
    grade: str = ""
    class_name: str = ""
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""


@dataclass
class RowResult:
    row: int
    data: StudentRow | None
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    classes_created: int = 0
    guardians_created: int = 0
    guardians_updated: int = 0


@dataclass
class ImportOutcome:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    summary: ImportSummary | None = None
    checked_only: bool = False


def parse_birth_date(value: Any) -> dt.date:
    """A date from a date cell, an Excel serial number or common written forms; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value != value or not (1 <= value <= 2958465):
            raise ValueError("out of range")
        if 19000101 <= value <= 29991231 and float(value).is_integer():
            return parse_birth_date(str(int(value)))
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = unicodedata.normalize("NFKC", cell_text(value))
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    raise ValueError("not a date")


# --- Validating one row -----------------------------------------------------------------------
def validate_row(row: int, values: Any, *, today: dt.date | None = None) -> RowResult:
    """Validate one data row (a sequence of cell values in ``HEADERS`` order). Never raises."""
    today = today or timezone.localdate()
    try:
        cells = list(values)[: len(FIELDS)]
    except TypeError:
        cells = []
    cells += [None] * (len(FIELDS) - len(cells))
    raw = dict(zip(FIELDS, cells, strict=True))
    text = {key: cell_text(value) for key, value in raw.items()}
    errors: list[RowError] = []

    def error(column: str, message: str) -> None:
        errors.append(RowError(row, column, message))

    number = text["number"]
    if not number:
        error("学号", _("学号不能为空。"))
    elif len(number) > 30:
        error("学号", _("学号最多30个字符。"))
    elif not NUMBER_PATTERN.fullmatch(number):
        error("学号", _("学号只能由字母、数字、连字符和下划线组成。"))

    name = text["name"]
    if not name:
        error("姓名", _("姓名不能为空。"))
    elif len(name) > 40:
        error("姓名", _("姓名最多40个字符。"))

    sex = ""
    if text["sex"]:
        sex = SEX_WORDS.get(text["sex"], "")
        if not sex:
            error("性别", _("性别请填写“男”或“女”。"))

    birth_date = None
    if text["birth_date"]:
        try:
            birth_date = parse_birth_date(raw["birth_date"])
        except (ValueError, OverflowError):
            error("出生日期", _("出生日期无法识别，请写成 2008-05-01 的形式。"))
        else:
            if birth_date > today:
                error("出生日期", _("出生日期不能晚于今天。"))
                birth_date = None
            elif birth_date < EARLIEST_BIRTH:
                error("出生日期", _("出生日期过早，请检查年份。"))
                birth_date = None

    grade, class_name = text["grade"], text["class_name"]
    if grade and not class_name:
        error("班级", _("填写了年级时，班级也要填写。"))
    if class_name and not grade:
        error("年级", _("填写了班级时，年级也要填写。"))
    if len(grade) > 20:
        error("年级", _("年级最多20个字符。"))
    if len(class_name) > 40:
        error("班级", _("班级最多40个字符。"))

    guardian_name, relation_word, phone_text = text["guardian_name"], text["guardian_relation"], text["guardian_phone"]
    relation = phone = ""
    if guardian_name or relation_word or phone_text:
        if not guardian_name:
            error("监护人姓名", _("填写了监护人信息时，监护人姓名不能为空。"))
        elif len(guardian_name) > 40:
            error("监护人姓名", _("监护人姓名最多40个字符。"))
        relation = RELATION_WORDS.get(relation_word, "")
        if not relation:
            error("监护人关系", _("监护人关系请填写：父亲、母亲、祖父母/外祖父母或其他监护人。"))
        phone = _phone_or_empty(phone_text)
        if not phone:
            error("监护人电话", _("请填写有效的中国大陆手机号码（11位数字）。"))

    if errors:
        return RowResult(row, None, errors)
    return RowResult(
        row,
        StudentRow(
            row=row,
            number=number,
            name=name,
            sex=sex,
            birth_date=birth_date,
            grade=grade,
            class_name=class_name,
            guardian_name=guardian_name,
            guardian_relation=relation,
            guardian_phone=phone,
        ),
    )


def _phone_or_empty(text: str) -> str:
    if not text:
        return ""
    try:
        phone = normalise_phone(text)
    except ValidationError:
        return ""
    # normalise_phone's pattern accepts any Unicode digit; only ASCII digits are a phone number.
    return phone if phone.isascii() and phone.isdigit() else ""


def validate_rows(rows: list[tuple[int, tuple]], *, today: dt.date | None = None) -> list[RowResult]:
    """Validate every row, then the file as a whole (a student number twice in one file)."""
    results = [validate_row(row, values, today=today) for row, values in rows]
    seen: dict[str, int] = {}
    for result in results:
        if result.data is None:
            continue
        key = " ".join(result.data.number.split()).casefold()
        if key in seen:
            result.errors.append(RowError(result.row, "学号", _("学号与第 %(row)s 行重复。") % {"row": seen[key]}))
            result.data = None
        else:
            seen[key] = result.row
    return results


# --- Reading the file ------------------------------------------------------------------------
def read_rows(data: bytes) -> list[tuple[int, tuple]]:
    """The data rows of the first sheet as (Excel row number, values in ``HEADERS`` order)."""
    return read_sheet_rows(data, headers=HEADERS, required=REQUIRED_HEADERS, max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


# --- Saving -----------------------------------------------------------------------------------
def import_students(school, data: bytes, *, by, request=None, check_only: bool = False) -> ImportOutcome:
    """Validate the whole file; when every row is valid (and not ``check_only``) save it at once.

    Raises ``ImportFileError`` when the file itself is unusable.
    """
    rows = read_rows(data)
    if not rows:
        raise ImportFileError(_("文件中没有学生数据。"))
    results = validate_rows(rows)
    errors = [error for result in results for error in result.errors]
    outcome = ImportOutcome(rows=len(rows), errors=errors, checked_only=check_only)
    if errors:
        record(
            "xinan.student.import.rejected",
            actor=by,
            organisation=school,
            request=request,
            after={"rows": len(rows), "errors": len(errors)},
        )
        return outcome
    if check_only:
        return outcome
    outcome.summary = _save_rows(school, [result.data for result in results], by=by, request=request)
    return outcome


def _save_rows(school, rows: list[StudentRow], *, by, request) -> ImportSummary:
    summary = ImportSummary(rows=len(rows))
    with transaction.atomic():
        # One import of a school at a time: a second one waits, then finds the first one's
        # students and classes and updates them (instead of failing on the unique constraints).
        Organisation.objects.select_for_update().filter(pk=school.pk).first()
        existing = {
            student.number_index: student
            for student in Student.objects.filter(school=school).exclude(number_index="").prefetch_related("guardians")
        }
        classes = {(c.grade, c.name): c for c in SchoolClass.objects.filter(school=school)}
        for row in rows:
            school_class = None
            if row.grade and row.class_name:
                school_class = classes.get((row.grade, row.class_name))
                if school_class is None:
                    school_class = SchoolClass.objects.create(school=school, grade=row.grade, name=row.class_name)
                    classes[(row.grade, row.class_name)] = school_class
                    summary.classes_created += 1
            student = existing.get(blind_index("student-number", row.number))
            if student is None:
                student = Student(school=school, student_number=row.number)
                guardians: list[Guardian] = []
                summary.created += 1
            else:
                guardians = list(student.guardians.all())
                summary.updated += 1
            student.name = row.name
            if row.sex:
                student.sex = row.sex
            if row.birth_date:
                student.birth_date = row.birth_date
            if school_class is not None:
                student.school_class = school_class
            student.save()
            existing[student.number_index] = student
            if row.guardian_name:
                _save_guardian(student, guardians, row, summary)
        record(
            "xinan.student.import",
            actor=by,
            organisation=school,
            request=request,
            after={
                "rows": summary.rows,
                "created": summary.created,
                "updated": summary.updated,
                "classes_created": summary.classes_created,
                "guardians_created": summary.guardians_created,
                "guardians_updated": summary.guardians_updated,
            },
        )
    return summary


def _save_guardian(student: Student, guardians: list[Guardian], row: StudentRow, summary: ImportSummary) -> None:
    """The guardian of the same relation is updated; otherwise one is added."""
    guardian = next((g for g in guardians if g.relation == row.guardian_relation), None)
    if guardian is None:
        Guardian.objects.create(
            student=student,
            relation=row.guardian_relation,
            name=row.guardian_name,
            phone=row.guardian_phone,
            is_primary=not any(g.is_primary for g in guardians),
        )
        summary.guardians_created += 1
    elif guardian.name != row.guardian_name or guardian.phone != row.guardian_phone:
        guardian.name, guardian.phone = row.guardian_name, row.guardian_phone
        guardian.save(update_fields=["name", "phone"])
        summary.guardians_updated += 1


# --- The template -----------------------------------------------------------------------------
def build_template() -> bytes:
    """An empty .xlsx with the Chinese headers, text-formatted columns and a sheet of instructions."""
    return build_sheet_template(
        title=_("学生名单"),
        headers=HEADERS,
        widths=(16, 12, 8, 14, 12, 14, 12, 16, 16),
        text_columns=("学号", "监护人电话"),
        notes_title=_("填写说明"),
        notes=(
            _("从第2行起，每行填写一名学生；第一行表头请勿修改。"),
            _("学号、姓名必填。学号在本校唯一；再次导入同一学号时更新该学生，不会重复添加。"),
            _("性别填写“男”或“女”；出生日期写成 2008-05-01 的形式。"),
            _("年级和班级一起填写（如 2024级、高一3班）；系统中没有的班级会自动创建，班主任请在“班级”页设置。"),
            _("监护人关系填写：父亲、母亲、祖父母/外祖父母或其他监护人；监护人电话为11位手机号码。"),
            _("再次导入时，留空的选填项不会清除已有信息。"),
            _("上传后系统先检查全部行：只要有一行有误，就不会导入任何学生，请按提示修改后重新上传。"),
        ),
    )
