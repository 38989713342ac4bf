"""Role matrices of the register views: status per role, nothing changed when refused, refusals audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.xinan.students.conftest import generated_name, workbook_bytes
from xinan.audit.models import AuditEntry
from xinan.crypto.keys import blind_index
from xinan.students.models import Guardian, SchoolClass, Student

DENIED = "xinan.access.denied"
OUTSIDERS = ["staff_a", "filer_a", "team_leader_b", "counsellor_a2_school", "provincial_admin_a", "national_admin"]
KEEPERS = ["team_leader_a", "coordinator_a", "counsellor_a", "health_teacher_a"]


def _call(client, user, method, url, data=None, **extra):
    client.force_login(user)
    before = AuditEntry.objects.filter(action=DENIED).count()
    response = client.get(url, data or {}) if method == "get" else client.post(url, data or {}, **extra)
    return response, AuditEntry.objects.filter(action=DENIED).count() - before


def _assert_refused(response, refusals):
    assert response.status_code == 404
    assert refusals == 1


def _student_post(name, number, school_class, *, phone="13912345699"):
    return {
        "student_number": number,
        "name": name,
        "sex": "male",
        "birth_date": "2010-02-03",
        "school_class": school_class.pk,
        "guardians-TOTAL_FORMS": "1",
        "guardians-INITIAL_FORMS": "0",
        "guardians-MIN_NUM_FORMS": "0",
        "guardians-MAX_NUM_FORMS": "4",
        "guardians-0-relation": "father",
        "guardians-0-name": generated_name(),
        "guardians-0-phone": phone,
    }


# --- list ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"), [*((k, 200) for k in KEEPERS), ("class_teacher_a", 200)] + [(o, 404) for o in OUTSIDERS]
)
def test_student_list_role_matrix(client, world, register, who, status):
    response, refusals = _call(client, getattr(world, who), "get", reverse("students:list", args=[world.school_a.pk]))
    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)


def test_student_list_class_teacher_sees_own_class_only(client, world, register):
    response, _ = _call(client, world.class_teacher_a, "get", reverse("students:list", args=[world.school_a.pk]))
    html = response.content.decode()
    assert register.own_student.name in html
    assert register.other_student.name not in html


def test_student_list_masks_guardian_phones_and_shows_age(client, world, register):
    response, _ = _call(client, world.counsellor_a, "get", reverse("students:list", args=[world.school_a.pk]))
    html = response.content.decode()
    assert "13912345601" not in html
    assert "139****5601" in html
    assert "岁" in html


def test_student_list_exact_search_by_name_and_number(client, world, register):
    url = reverse("students:list", args=[world.school_a.pk])
    for query in (register.other_student.name, "S0002"):
        response, _ = _call(client, world.counsellor_a, "get", url, {"q": query})
        html = response.content.decode()
        assert register.other_student.name in html
        assert register.own_student.name not in html


def test_student_list_filters_by_class(client, world, register):
    url = reverse("students:list", args=[world.school_a.pk])
    response, _ = _call(client, world.coordinator_a, "get", url, {"school_class": register.own_class.pk})
    html = response.content.decode()
    assert register.own_student.name in html
    assert register.other_student.name not in html


@pytest.mark.parametrize("rows", [1, 3])
def test_student_list_query_count_does_not_grow(client, world, django_assert_max_num_queries, rows):
    school_class = SchoolClass.objects.create(school=world.school_a, grade="2025级", name="三班")
    for index in range(rows):
        student = Student.objects.create(
            school=world.school_a, school_class=school_class, name=generated_name(), student_number=f"Q{index}"
        )
        Guardian.objects.create(student=student, relation="father", name=generated_name(), phone="13912345602")
    client.force_login(world.counsellor_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("students:list", args=[world.school_a.pk]))
    assert response.status_code == 200


def test_register_home_redirects_to_own_school(client, world):
    response, _ = _call(client, world.counsellor_a, "get", reverse("students:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("students:list", args=[world.school_a.pk])
    response, refusals = _call(client, world.staff_a, "get", reverse("students:home"))
    _assert_refused(response, refusals)


# --- add ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"), [*((k, 302) for k in KEEPERS), ("class_teacher_a", 302)] + [(o, 404) for o in OUTSIDERS]
)
def test_student_add_role_matrix(client, world, register, who, status):
    url = reverse("students:add", args=[world.school_a.pk])
    count = Student.objects.count()
    response, refusals = _call(
        client, getattr(world, who), "post", url, _student_post(generated_name(), "N1", register.own_class)
    )
    assert response.status_code == status
    if status == 404:
        assert refusals == 1
        assert Student.objects.count() == count
    else:
        student = Student.objects.get(school=world.school_a, number_index=blind_index("student-number", "N1"))
        assert student.guardians.get().phone == "13912345699"
        assert student.guardians.get().is_primary


@pytest.mark.parametrize(
    ("who", "status"), [*((k, 200) for k in KEEPERS), ("class_teacher_a", 200)] + [(o, 404) for o in OUTSIDERS]
)
def test_student_add_page_role_matrix(client, world, register, who, status):
    response, refusals = _call(client, getattr(world, who), "get", reverse("students:add", args=[world.school_a.pk]))
    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)


def test_student_add_class_teacher_cannot_place_in_other_class(client, world, register):
    count = Student.objects.count()
    url = reverse("students:add", args=[world.school_a.pk])
    response, _ = _call(
        client, world.class_teacher_a, "post", url, _student_post(generated_name(), "N2", register.other_class)
    )
    assert response.status_code == 400
    assert Student.objects.count() == count


def test_student_add_bad_phone_keeps_what_was_typed(client, world, register):
    name = generated_name()
    url = reverse("students:add", args=[world.school_a.pk])
    response, _ = _call(
        client, world.counsellor_a, "post", url, _student_post(name, "N3", register.own_class, phone="12345")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "请输入有效的中国大陆手机号码" in html
    assert name in html
    assert (
        not Student.objects.filter(school=world.school_a)
        .exclude(pk__in=[register.own_student.pk, register.other_student.pk])
        .exists()
    )


def test_student_add_duplicate_number_refused_in_chinese(client, world, register):
    url = reverse("students:add", args=[world.school_a.pk])
    response, _ = _call(
        client, world.counsellor_a, "post", url, _student_post(generated_name(), "S0001", register.own_class)
    )
    assert response.status_code == 400
    assert "本校已有学生使用该学号" in response.content.decode()
    assert Student.objects.filter(school=world.school_a).count() == 2


def test_student_add_phone_normalised(client, world, register):
    url = reverse("students:add", args=[world.school_a.pk])
    _call(
        client,
        world.counsellor_a,
        "post",
        url,
        _student_post(generated_name(), "N4", register.own_class, phone="+86 139-1234-5698"),
    )
    assert Guardian.objects.filter(relation="father").get().phone == "13912345698"


# --- edit -----------------------------------------------------------------------------------
EDIT_MATRIX = (
    [(k, "own_student", 200) for k in KEEPERS]
    + [(k, "other_student", 200) for k in KEEPERS]
    + [("class_teacher_a", "own_student", 200), ("class_teacher_a", "other_student", 404)]
    + [(o, "own_student", 404) for o in OUTSIDERS]
)


@pytest.mark.parametrize(("who", "target", "status"), EDIT_MATRIX)
def test_student_edit_page_role_matrix(client, world, register, who, target, status):
    student = getattr(register, target)
    response, refusals = _call(client, getattr(world, who), "get", reverse("students:edit", args=[student.pk]))
    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)
    if status == 200 and target == "own_student":
        html = response.content.decode()
        assert "139****5601" in html
        assert "13912345601" not in html


@pytest.mark.parametrize(("who", "target", "status"), [(w, t, 302 if s == 200 else s) for w, t, s in EDIT_MATRIX])
def test_student_edit_post_role_matrix(client, world, register, who, target, status):
    student = getattr(register, target)
    old_name = student.name
    data = _student_post(generated_name(), student.student_number, register.own_class)
    data.update({"guardians-TOTAL_FORMS": "0"})
    response, refusals = _call(client, getattr(world, who), "post", reverse("students:edit", args=[student.pk]), data)
    assert response.status_code == status
    student.refresh_from_db()
    if status == 404:
        assert refusals == 1
        assert student.name == old_name
    else:
        assert student.name == data["name"]


# --- classes ----------------------------------------------------------------------------------
CLASS_MATRIX = [(k, 200) for k in KEEPERS] + [("class_teacher_a", 404)] + [(o, 404) for o in OUTSIDERS]


@pytest.mark.parametrize(("who", "status"), CLASS_MATRIX)
def test_class_list_role_matrix(client, world, register, who, status):
    response, refusals = _call(
        client, getattr(world, who), "get", reverse("students:classes", args=[world.school_a.pk])
    )
    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)


@pytest.mark.parametrize(("who", "status"), [(w, 302 if s == 200 else s) for w, s in CLASS_MATRIX])
def test_class_add_role_matrix(client, world, register, who, status):
    data = {"grade": "2026级", "name": "五班", "class_teacher": world.class_teacher_a.pk}
    response, refusals = _call(
        client, getattr(world, who), "post", reverse("students:classes", args=[world.school_a.pk]), data
    )
    assert response.status_code == status
    exists = SchoolClass.objects.filter(school=world.school_a, grade="2026级").exists()
    assert exists == (status == 302)
    assert refusals == (1 if status == 404 else 0)


@pytest.mark.parametrize(("who", "status"), [(w, 302 if s == 200 else s) for w, s in CLASS_MATRIX])
def test_class_edit_role_matrix(client, world, register, who, status):
    url = reverse("students:class_edit", args=[register.other_class.pk])
    data = {"grade": "2024级", "name": "二班", "class_teacher": world.counsellor_a.pk}
    response, refusals = _call(client, getattr(world, who), "post", url, data)
    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)
    register.other_class.refresh_from_db()
    assert (register.other_class.class_teacher_id == world.counsellor_a.pk) == (status == 302)


def test_class_teacher_must_be_school_staff(client, world, register):
    data = {"grade": "2026级", "name": "六班", "class_teacher": world.counsellor_b.pk}
    response, _ = _call(
        client, world.team_leader_a, "post", reverse("students:classes", args=[world.school_a.pk]), data
    )
    assert response.status_code == 400
    assert "2026级" in response.content.decode()
    assert not SchoolClass.objects.filter(name="六班").exists()


def test_class_duplicate_refused(client, world, register):
    data = {"grade": "2024级", "name": "一班"}
    response, _ = _call(
        client, world.team_leader_a, "post", reverse("students:classes", args=[world.school_a.pk]), data
    )
    assert response.status_code == 400
    assert "本校已有同名的年级班级" in response.content.decode()


# --- import -----------------------------------------------------------------------------------
IMPORT_MATRIX = [(k, 200) for k in KEEPERS] + [("class_teacher_a", 404)] + [(o, 404) for o in OUTSIDERS]


@pytest.mark.parametrize(("who", "status"), IMPORT_MATRIX)
def test_import_page_role_matrix(client, world, who, status):
    response, refusals = _call(client, getattr(world, who), "get", reverse("students:import", args=[world.school_a.pk]))
    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)


@pytest.mark.parametrize(("who", "status"), IMPORT_MATRIX)
def test_import_template_role_matrix(client, world, who, status):
    url = reverse("students:import_template", args=[world.school_a.pk])
    response, refusals = _call(client, getattr(world, who), "get", url)
    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)


@pytest.mark.parametrize(("who", "status"), IMPORT_MATRIX)
def test_import_post_role_matrix(client, world, who, status):
    data = workbook_bytes([("I0001", generated_name(), "男", "2010-01-01", "2024级", "一班", "", "", "")])
    upload = SimpleUploadedFile("students.xlsx", data)
    url = reverse("students:import", args=[world.school_a.pk])
    response, refusals = _call(client, getattr(world, who), "post", url, {"file": upload})
    assert response.status_code == status
    assert Student.objects.filter(school=world.school_a).count() == (1 if status == 200 else 0)
    assert refusals == (1 if status == 404 else 0)
