"""Excel import: all or nothing, row-by-row Chinese errors, re-import updates, real .xlsx only."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.xinan.students.conftest import generated_name, workbook_bytes
from xinan.audit.models import AuditEntry
from xinan.crypto.keys import blind_index
from xinan.students.models import Guardian, SchoolClass, Student
from xinan.students.services.importing import (
    HEADERS,
    ImportFileError,
    RowResult,
    build_template,
    excel_safe,
    import_students,
    validate_row,
)


def _post(client, user, school, data: bytes, name="students.xlsx", **extra):
    client.force_login(user)
    upload = SimpleUploadedFile(name, data)
    return client.post(reverse("students:import", args=[school.pk]), {"file": upload, **extra})


def _good_rows(count=3, *, start=1):
    return [
        (
            f"2024{index:04d}",
            generated_name(),
            "男" if index % 2 else "女",
            dt.date(2009, 1 + index % 12, 10),
            "2024级",
            f"{1 + index % 2}班",
            generated_name(),
            "母亲",
            f"1391234{index:04d}",
        )
        for index in range(start, start + count)
    ]


def test_import_good_file_imports_everything(client, world):
    rows = _good_rows(3)
    response = _post(client, world.team_leader_a, world.school_a, workbook_bytes(rows))
    assert response.status_code == 200
    assert 'data-test="import-summary"' in response.content.decode()
    students = Student.objects.filter(school=world.school_a)
    assert students.count() == 3
    first = students.get(number_index=blind_index("student-number", "20240001"))
    assert first.name == rows[0][1]
    assert first.sex == "male"
    assert first.birth_date == rows[0][3]
    assert str(first.school_class) == "2024级2班"
    assert first.guardians.get().phone == "13912340001"
    assert first.guardians.get().is_primary
    assert SchoolClass.objects.filter(school=world.school_a).count() == 2


def test_import_audited_with_counts_only(client, world):
    rows = _good_rows(2)
    _post(client, world.team_leader_a, world.school_a, workbook_bytes(rows))
    entry = AuditEntry.objects.get(action="xinan.student.import")
    assert entry.organisation_id == world.school_a.pk
    assert entry.after == {
        "rows": 2,
        "created": 2,
        "updated": 0,
        "classes_created": 2,
        "guardians_created": 2,
        "guardians_updated": 0,
    }
    text = str(entry.after) + entry.reason
    for row in rows:
        assert row[1] not in text


def test_import_bad_rows_shows_each_error_and_saves_nothing(client, world):
    rows = _good_rows(2)
    rows.append(("", generated_name(), "男", "2009-01-01", "", "", "", "", ""))  # row 4: no number
    rows.append(("20249999", "", "未知", "2009-13-40", "2024级", "", generated_name(), "舅舅", "12345"))  # row 5
    rows.append(("20240001", generated_name(), "", "", "", "", "", "", ""))  # row 6: repeats row 2
    response = _post(client, world.team_leader_a, world.school_a, workbook_bytes(rows))
    html = response.content.decode()
    assert response.status_code == 400
    assert Student.objects.count() == 0
    assert SchoolClass.objects.count() == 0
    assert not AuditEntry.objects.filter(action="xinan.student.import").exists()
    assert AuditEntry.objects.filter(action="xinan.student.import.rejected").count() == 1
    expected = [
        ("第 4 行", "学号", "学号不能为空"),
        ("第 5 行", "姓名", "姓名不能为空"),
        ("第 5 行", "性别", "性别请填写“男”或“女”"),
        ("第 5 行", "出生日期", "出生日期无法识别"),
        ("第 5 行", "班级", "填写了年级时，班级也要填写"),
        ("第 5 行", "监护人关系", "监护人关系请填写"),
        ("第 5 行", "监护人电话", "请填写有效的中国大陆手机号码"),
        ("第 6 行", "学号", "学号与第 2 行重复"),
    ]
    error_rows = html.split('data-test="import-error"')[1:]
    assert len(error_rows) == len(expected)
    for (row, column, message), fragment in zip(expected, error_rows, strict=True):
        assert row in fragment
        assert f"<td>{column}</td>" in fragment
        assert message in fragment


def test_reimport_updates_without_duplicates(client, world):
    rows = _good_rows(3)
    _post(client, world.team_leader_a, world.school_a, workbook_bytes(rows))
    changed = list(rows)
    new_name = generated_name()
    changed[0] = (rows[0][0], new_name, "", "", "2025级", "9班", rows[0][6], "母亲", "13800001111")
    changed.append(_good_rows(1, start=50)[0])
    response = _post(client, world.coordinator_a, world.school_a, workbook_bytes(changed))
    assert response.status_code == 200
    assert Student.objects.filter(school=world.school_a).count() == 4
    student = Student.objects.get(number_index=blind_index("student-number", rows[0][0]))
    assert student.name == new_name
    assert student.sex == ("female" if rows[0][2] == "女" else "male")  # an empty cell keeps the stored value
    assert student.birth_date == rows[0][3]
    assert str(student.school_class) == "2025级9班"
    assert student.guardians.count() == 1
    assert student.guardians.get().phone == "13800001111"
    entry = AuditEntry.objects.filter(action="xinan.student.import").latest("pk")
    assert entry.after["created"] == 1
    assert entry.after["updated"] == 3


def test_import_numbers_match_only_within_the_school(world):
    rows = [("X1", generated_name(), "", "", "", "", "", "", "")]
    import_students(world.school_b, workbook_bytes(rows), by=world.team_leader_b)
    import_students(world.school_a, workbook_bytes(rows), by=world.team_leader_a)
    assert Student.objects.filter(school=world.school_a).count() == 1
    assert Student.objects.filter(school=world.school_b).count() == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),  # an .xls (OLE2) renamed
        ("list.xlsx", "学号,姓名\n1,某某\n".encode()),  # a .csv renamed
        ("other.xlsx", None),  # a zip without a workbook
    ],
)
def test_import_refuses_files_that_are_not_xlsx(client, world, name, data):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w/>")
        data = buffer.getvalue()
    response = _post(client, world.team_leader_a, world.school_a, data, name=name)
    assert response.status_code == 400
    assert "这不是有效的 Excel 工作簿（.xlsx）" in response.content.decode()
    assert Student.objects.count() == 0


def test_import_refuses_too_large_file():
    from xinan.spreadsheets import check_workbook_bytes

    data = workbook_bytes(_good_rows(1))
    with pytest.raises(ImportFileError, match="文件过大"):
        check_workbook_bytes(data, max_bytes=100)


def test_import_refuses_missing_headers(world):
    data = workbook_bytes([("1", "x")], headers=("编号", "名字"))
    with pytest.raises(ImportFileError, match="学号、姓名"):
        import_students(world.school_a, data, by=world.team_leader_a)


def test_import_formula_cells_stored_as_text(world):
    formula = '=HYPERLINK("http://example.invalid","x")'
    rows = [("F1", formula, "", "", "", "", "", "", ""), ("F2", "@SUM(1+1)", "", "", "", "", "", "", "")]
    outcome = import_students(world.school_a, workbook_bytes(rows), by=world.team_leader_a)
    assert outcome.errors == []
    stored = {s.student_number: s.name for s in Student.objects.filter(school=world.school_a)}
    assert stored == {"F1": formula, "F2": "@SUM(1+1)"}
    assert excel_safe(formula) == "'" + formula


def test_import_check_only_saves_nothing(client, world):
    response = _post(client, world.team_leader_a, world.school_a, workbook_bytes(_good_rows(2)), check_only="on")
    assert response.status_code == 200
    assert 'data-test="import-checked"' in response.content.decode()
    assert Student.objects.count() == 0


def test_student_names_are_not_stored_in_plaintext(world):
    rows = _good_rows(1)
    import_students(world.school_a, workbook_bytes(rows), by=world.team_leader_a)
    student_table = Student._meta.db_table
    guardian_table = Guardian._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, student_number, birth_date FROM {student_table}")  # noqa: S608 - table names from our models
        student_cells = [str(cell) for row in cursor.fetchall() for cell in row]
        cursor.execute(f"SELECT name, phone FROM {guardian_table}")  # noqa: S608 - table names from our models
        guardian_cells = [str(cell) for row in cursor.fetchall() for cell in row]
    dump = " ".join(student_cells + guardian_cells)
    assert rows[0][1] not in dump
    assert rows[0][0] not in dump
    assert rows[0][6] not in dump
    assert rows[0][8] not in dump
    assert all(cell.startswith("enc1:") for cell in student_cells)


def test_template_has_the_chinese_headers(client, world):
    client.force_login(world.coordinator_a)
    response = client.get(reverse("students:import_template", args=[world.school_a.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert header == list(HEADERS)


def test_template_round_trips_through_the_import(world):
    outcome = None
    with pytest.raises(ImportFileError, match="没有学生数据"):
        outcome = import_students(world.school_a, build_template(), by=world.team_leader_a)
    assert outcome is None


def test_validate_row_accepts_date_cells_numbers_and_full_width_phone():
    result = validate_row(
        2, [20240001, "某某", "女", dt.datetime(2010, 5, 6), "2024级", "1班", "某", "父亲", "１３９ １２３４ ５６７８"]
    )
    assert result.ok
    assert result.data.number == "20240001"
    assert result.data.birth_date == dt.date(2010, 5, 6)
    assert result.data.guardian_phone == "13912345678"


def test_validate_row_refuses_future_birth_date():
    result = validate_row(3, ["1", "某某", "", "2999-01-01"], today=dt.date(2026, 1, 1))
    assert [(e.row, e.column) for e in result.errors] == [(3, "出生日期")]


cell_values = st.one_of(
    st.none(),
    st.text(max_size=50),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["=1+1", "+86 13912345678", "-", "@", "2008-02-30", "男", "母亲", "20080230", "١٣٩١٢٣٤٥٦٧٨"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=st.integers(min_value=2, max_value=10**6), values=st.lists(cell_values, max_size=12))
def test_validate_row_never_raises(row, values):
    result = validate_row(row, values, today=dt.date(2026, 1, 1))
    assert isinstance(result, RowResult)
    assert (result.data is None) == bool(result.errors)
    assert all(error.row == row and error.column in HEADERS and error.message for error in result.errors)
