"""The Excel exports: a school's student list and case list, an organisation's audit extract.

Each workbook is watermarked twice: in its document properties (title, subject, description,
keywords, creator) and on a visible first row of every sheet plus a sheet of its own. Each is
redacted by the requester's role (enums.FULL_GUARDIAN_PHONE_ROLES, FULL_IP_ROLES). The case
list carries structured fields only: no free text of a case and never counselling notes.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from xinan.accounts.validators import mask_phone
from xinan.audit.labels import label_for
from xinan.audit.models import AuditEntry
from xinan.cases.enums import ObservationCategory
from xinan.cases.models import Case
from xinan.exports.enums import AUDIT_EXTRACT_MAX_ROWS, FULL_GUARDIAN_PHONE_ROLES, FULL_IP_ROLES
from xinan.organisations.models import Organisation
from xinan.organisations.services.queries import held_roles
from xinan.spreadsheets.writing import excel_safe
from xinan.students.models import Student

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Watermark:
    name: str
    at: dt.datetime
    purpose: str
    kind_label: str

    @property
    def text(self) -> str:
        return _("导出人 %(name)s · %(at)s · 用途：%(purpose)s") % {
            "name": self.name,
            "at": f"{timezone.localtime(self.at):%Y-%m-%d %H:%M}",
            "purpose": self.purpose,
        }


@dataclass
class Produced:
    content: bytes
    rows: int
    cases: list = field(default_factory=list)


def roles_in(user, organisation: Organisation) -> set:
    """The roles the user holds in the organisation or above it."""
    return {held.role for held in held_roles(user) if organisation.path.startswith(held.organisation_path)}


def _cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return excel_safe(value)
    return value


def _workbook(watermark: Watermark, title: str, headers: list[str], rows, *, notes: list[str]) -> bytes:
    workbook = Workbook()
    properties = workbook.properties
    properties.title = f"{watermark.kind_label} · {title}"
    properties.subject = watermark.purpose
    properties.description = watermark.text
    properties.keywords = f"{watermark.name}; {timezone.localtime(watermark.at):%Y-%m-%d %H:%M}; {watermark.purpose}"
    properties.creator = watermark.name
    properties.lastModifiedBy = watermark.name
    sheet = workbook.active
    sheet.title = _("数据")
    sheet.append([watermark.text])
    sheet.cell(row=1, column=1).font = Font(bold=True, color="B00020")
    sheet.append([str(h) for h in headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"
    for row in rows:
        sheet.append([_cell(value) for value in row])
    about = workbook.create_sheet(_("导出说明"))
    for line in [watermark.text, str(watermark.kind_label), title, *notes]:
        about.append([line])
    about.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _redaction_note(full: bool, what: str) -> str:
    if full:
        return _("%(what)s按导出人的职责完整提供。") % {"what": what}
    return _("%(what)s按导出人的职责打码（如 138****1234）。") % {"what": what}


USE_NOTE = gettext_lazy("本文件经第二人审批后导出，仅供上述用途使用，不得转发、复制或用于其他目的；用毕请及时删除。")
NO_TEXT_NOTE = gettext_lazy("本文件不含个案记录文字，不含心理咨询记录。")


def student_list(school: Organisation, *, by, watermark: Watermark) -> Produced:
    full_phone = bool(roles_in(by, school) & FULL_GUARDIAN_PHONE_ROLES)
    students = (
        Student.objects.filter(school=school)
        .select_related("school_class__class_teacher")
        .prefetch_related("guardians")
        .order_by("school_class__grade", "school_class__name", "pk")
    )
    headers = [_("学号"), _("姓名"), _("性别"), _("出生日期"), _("年级"), _("班级"), _("班主任"), _("监护人")]
    rows = []
    for student in students:
        guardians = "；".join(
            f"{g.get_relation_display()} {g.name} {g.phone if full_phone else mask_phone(g.phone)}"
            for g in student.guardians.all()
        )
        school_class = student.school_class
        rows.append(
            [
                student.student_number,
                student.name,
                student.get_sex_display(),
                student.birth_date.isoformat() if student.birth_date else "",
                school_class.grade if school_class else "",
                school_class.name if school_class else "",
                school_class.class_teacher.name if school_class and school_class.class_teacher else "",
                guardians,
            ]
        )
    notes = [str(USE_NOTE), str(NO_TEXT_NOTE), _redaction_note(full_phone, _("监护人电话"))]
    return Produced(_workbook(watermark, school.name, headers, rows, notes=notes), rows=len(rows))


def case_list(school: Organisation, *, by, watermark: Watermark) -> Produced:
    full_phone = bool(roles_in(by, school) & FULL_GUARDIAN_PHONE_ROLES)
    cases = list(
        Case.objects.filter(school=school)
        .select_related("student__school_class", "assigned_counsellor")
        .prefetch_related("student__guardians")
        .order_by("opened_at", "pk")
    )
    headers = [
        _("编号"),
        _("学生"),
        _("学号"),
        _("班级"),
        _("报告时间"),
        _("状态"),
        _("风险等级"),
        _("危机类型"),
        _("负责心理老师"),
        _("处理依据"),
        _("首要监护人电话"),
        _("结案时间"),
        _("结案结果"),
        _("法定保全"),
    ]
    category_labels = dict(ObservationCategory.choices)
    rows = []
    for case in cases:
        student = case.student
        guardians = list(student.guardians.all()) if student else []
        primary = guardians[0].phone if guardians else ""
        rows.append(
            [
                case.reference,
                student.name if student else _("（未关联学生名册）"),
                student.student_number if student else "",
                str(student.school_class) if student and student.school_class else "",
                f"{timezone.localtime(case.opened_at):%Y-%m-%d %H:%M}",
                case.get_state_display(),
                case.get_risk_level_display(),
                "、".join(str(category_labels.get(code, code)) for code in case.categories),
                case.assigned_counsellor.name if case.assigned_counsellor else "",
                case.get_lawful_basis_display(),
                (primary if full_phone else mask_phone(primary)) if primary else "",
                f"{timezone.localtime(case.closed_at):%Y-%m-%d}" if case.closed_at else "",
                case.get_outcome_display(),
                _("是") if case.legal_hold else "",
            ]
        )
    notes = [str(USE_NOTE), str(NO_TEXT_NOTE), _redaction_note(full_phone, _("监护人电话"))]
    return Produced(_workbook(watermark, school.name, headers, rows, notes=notes), rows=len(rows), cases=cases)


def mask_ip(ip: str | None) -> str:
    """192.168.*.* for IPv4, the first two groups for IPv6."""
    if not ip:
        return ""
    if "." in ip:
        return ".".join([*ip.split(".")[:2], "*", "*"])
    return ":".join([*ip.split(":")[:2], "*"])


def audit_entries(organisation: Organisation, since: dt.date, until: dt.date):
    """The entries of the organisation and everything under it in the period (local dates)."""
    return AuditEntry.objects.filter(
        organisation__path__startswith=organisation.path, at__date__gte=since, at__date__lte=until
    )


def audit_extract(organisation: Organisation, *, by, watermark: Watermark, since: dt.date, until: dt.date) -> Produced:
    full_ip = bool(roles_in(by, organisation) & FULL_IP_ROLES)
    entries = audit_entries(organisation, since, until).select_related("organisation").order_by("at", "pk")
    headers = [_("时间"), _("单位"), _("操作人"), _("动作"), _("动作说明"), _("对象类型"), _("对象编号"), _("IP地址")]
    rows = [
        [
            f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M:%S}",
            entry.organisation.name if entry.organisation else "",
            entry.actor_label,
            entry.action,
            str(label_for(entry.action)),
            entry.object_type,
            entry.object_id,
            entry.ip if full_ip else mask_ip(entry.ip),
        ]
        for entry in entries[: AUDIT_EXTRACT_MAX_ROWS + 1].iterator(chunk_size=2000)
    ]
    truncated = len(rows) > AUDIT_EXTRACT_MAX_ROWS
    rows = rows[:AUDIT_EXTRACT_MAX_ROWS]
    title = _("%(org)s %(since)s 至 %(until)s") % {"org": organisation.name, "since": since, "until": until}
    notes = [
        str(USE_NOTE),
        _("审计摘录不含操作前后的记录内容，只有动作、对象和时间。"),
        _redaction_note(full_ip, _("IP地址")),
    ]
    if truncated:
        message = _("该时段的记录超过%(n)s条，本文件只含最早的%(n)s条，请缩短时段另行申请。")
        notes.insert(0, message % {"n": AUDIT_EXTRACT_MAX_ROWS})
    return Produced(_workbook(watermark, title, headers, rows, notes=notes), rows=len(rows))
