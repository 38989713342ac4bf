"""Importing filers from Excel (the seed: 添加填报人员信息，可批量导入).

All or nothing, as for students: every row is checked first and every error shown; nothing is
saved until the file is right; a re-import updates the filers it already holds (matched by
mobile phone) instead of adding them twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xinan.accounts.validators import normalise_phone
from xinan.audit.services.record import record
from xinan.campaigns.models import Campaign, FilingRight
from xinan.campaigns.services.errors import FilingError
from xinan.campaigns.services.provisioning import add_filer, refuse_conflicting_filer
from xinan.organisations.enums import OrgKind
from xinan.organisations.models import Organisation
from xinan.spreadsheets import ReferenceSheet, RowError, build_template, cell_text, read_rows

HEADERS = ("姓名", "学校", "手机号", "职务")
REQUIRED = ("姓名", "学校", "手机号")
MAX_ROWS = 2000


@dataclass(frozen=True)
class FilerRow:
    row: int
    name: str
    school: Organisation
    phone: str
    position: str = ""


@dataclass
class FilerImport:
    rows: list[FilerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    saved: int = 0
    added: int = 0  # of the saved rows, those who had no right in this campaign before

    @property
    def updated(self) -> int:
        return self.saved - self.added


def _schools_by_name_or_code(province: Organisation) -> dict[str, Organisation]:
    lookup = {}
    for school in Organisation.objects.filter(parent=province, kind=OrgKind.SCHOOL, is_active=True):
        for key in (school.name, school.short_name, school.code):
            if key:
                lookup[key.strip()] = school
    return lookup


def validate(province: Organisation, rows: list[tuple[int, tuple]], campaign: Campaign | None = None) -> FilerImport:
    schools = _schools_by_name_or_code(province)
    result = FilerImport()
    seen_phones: dict[str, int] = {}
    for number, values in rows:
        name, school_text, phone_text = (cell_text(value) for value in values[:3])
        position = cell_text(values[3])[:60] if len(values) > 3 else ""
        errors = []
        if not name:
            errors.append(RowError(number, "姓名", _("姓名不能为空。")))
        elif len(name) > 40:
            errors.append(RowError(number, "姓名", _("姓名过长。")))
        school = schools.get(school_text)
        if school is None:
            errors.append(
                RowError(
                    number, "学校", _("“%(s)s”不是本省的学校（请填写学校全称或学校标识码）。") % {"s": school_text}
                )
            )
        elif campaign is not None and not campaign.admits_school(school):
            errors.append(
                RowError(
                    number,
                    "学校",
                    _("本次征集只面向%(types)s，“%(s)s”是%(t)s，不在征集范围内。")
                    % {"types": campaign.school_types_text(), "s": school.name, "t": school.get_school_type_display()},
                )
            )
        try:
            phone = normalise_phone(phone_text)
        except ValidationError as exc:
            errors.append(RowError(number, "手机号", str(exc.messages[0])))
            phone = ""
        if phone and phone in seen_phones:
            errors.append(RowError(number, "手机号", _("与第 %(r)s 行的手机号重复。") % {"r": seen_phones[phone]}))
        if phone:
            seen_phones.setdefault(phone, number)
        if errors:
            result.errors += errors
        else:
            result.rows.append(FilerRow(number, name, school, phone, position))
    return result


def import_filers(
    campaign: Campaign, province: Organisation, data: bytes, *, by, request=None, confirm: bool = False
) -> FilerImport:
    rows = read_rows(data, headers=HEADERS, required=REQUIRED, max_rows=MAX_ROWS)
    result = validate(province, rows, campaign)
    if result.errors or not result.rows:
        if not result.rows and not result.errors:
            result.errors.append(RowError(0, "", _("文件中没有填报人员。")))
        return result
    # Before the transaction, so that each refusal (三员分立) stays in the audit trail.
    for row in result.rows:
        try:
            refuse_conflicting_filer(row.school, row.phone, by=by, request=request, path="import")
        except FilingError as exc:
            result.errors.append(RowError(row.row, "手机号", exc.message))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            # In phone order: two imports sharing phones then take their row locks in the same
            # order and wait for each other instead of deadlocking.
            known = set(
                FilingRight.objects.filter(
                    campaign=campaign, filer__phone__in=[row.phone for row in result.rows]
                ).values_list("filer__phone", flat=True)
            )
            for row in sorted(result.rows, key=lambda row: row.phone):
                try:
                    add_filer(
                        campaign,
                        province=province,
                        school=row.school,
                        name=row.name,
                        phone=row.phone,
                        by=by,
                        confirm=confirm,
                        position=row.position,
                    )
                except FilingError as exc:  # every row is tried, so every conflict is shown at once
                    result.errors.append(RowError(row.row, "手机号", exc.message))
            if result.errors:
                result.errors.sort(key=lambda error: error.row)
                raise FilingError("")
            result.saved = len(result.rows)
            result.added = sum(1 for row in result.rows if row.phone not in known)
            record(
                "xinan.campaign.filer.import",
                actor=by,
                organisation=province,
                request=request,
                after={"rows": result.saved, "added": result.added},
            )
    except FilingError:  # all or nothing: the row errors are shown, nothing is saved
        result.saved = result.added = 0
    return result


def filer_template(campaign: Campaign | None = None, province: Organisation | None = None) -> bytes:
    """The import template; for a province, with a sheet of its schools that take part in the
    campaign (full name, code, type) and a drop-down of their names in the 学校 column."""
    reference = None
    if province is not None:
        schools = Organisation.objects.filter(parent=province, kind=OrgKind.SCHOOL, is_active=True)
        if campaign is not None:
            schools = schools.filter(campaign.admitted_schools())
        reference = ReferenceSheet(
            title=_("本省学校"),
            headers=(_("学校全称"), _("学校标识码"), _("学校类型")),
            rows=[(s.name, s.code or "", s.get_school_type_display()) for s in schools.order_by("name")],
            column="学校",
        )
    return build_template(
        title=_("填报人员"),
        headers=HEADERS,
        widths=(12, 30, 16, 16),
        text_columns=("手机号",),
        notes_title=_("填写说明"),
        notes=(
            _("从第2行起，每行填写一名填报人员；第一行表头请勿修改。"),
            _(
                "学校填写本省学校的全称或学校标识码（见“本省学校”表，可在下拉列表中选择）；手机号为11位，用于短信验证码登录。"
            ),
            _("再次导入同一手机号时更新该填报人员，不会重复添加。"),
            _("上传后系统先检查全部行：只要有一行有误，就不会导入任何人员，请按提示修改后重新上传。"),
        ),
        reference=reference,
    )
