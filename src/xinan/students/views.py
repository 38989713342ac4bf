"""The student register: list, add and edit students with guardians, classes, Excel import."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xinan.audit.services.record import record
from xinan.organisations.enums import OrgKind
from xinan.organisations.models import Organisation
from xinan.students.forms import GuardianFormSet, ImportForm, RegisterFilterForm, SchoolClassForm, StudentForm
from xinan.students.models import SchoolClass, Student
from xinan.students.services.importing import ImportFileError, build_template, import_students
from xinan.students.services.queries import (
    classes_for_user,
    find_students,
    register_schools_for_user,
    register_students_for_user,
    staff_of_school,
    with_guardians,
)
from xinan.students.services.register import RegisterError, save_class, save_student
from xinan.web.access import get_for_user_or_404, refuse

SCHOOLS = Organisation.objects.filter(kind=OrgKind.SCHOOL, is_active=True)


def _school(request, permission: str, school_pk: int) -> Organisation:
    return get_for_user_or_404(request, permission, SCHOOLS, pk=school_pk)


@login_required
@require_GET
def register_home(request):
    school = register_schools_for_user(request.user).first()
    if school is None:
        refuse(request, permission="students.view_register")
    return redirect("students:list", school_pk=school.pk)


@login_required
@require_GET
def student_list(request, school_pk: int):
    school = _school(request, "students.view_register", school_pk)
    classes = classes_for_user(request.user).filter(school=school)
    form = RegisterFilterForm(request.GET or None, classes=classes)
    students = with_guardians(register_students_for_user(request.user).filter(school=school))
    if form.is_valid():
        if form.cleaned_data["school_class"]:
            students = students.filter(school_class=form.cleaned_data["school_class"])
        if form.cleaned_data["q"]:
            students = find_students(students, form.cleaned_data["q"])
    students = students.order_by("school_class__grade", "school_class__name", "pk")
    page = Paginator(students, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for student in page:
        student.age = student.age_on(today)
    record("xinan.student.list", request=request, organisation=school)
    return render(
        request,
        "students/list.html",
        {
            "school": school,
            "form": form,
            "page": page,
            "can_manage": request.user.has_perm("students.manage_classes", school),
        },
    )


def _student_forms(request, school, student: Student):
    # A class teacher keeps only their own classes' students, so they must place the student in one.
    keeper = request.user.has_perm("students.manage_classes", school)
    classes = classes_for_user(request.user).filter(school=school)
    data = request.POST if request.method == "POST" else None
    form = StudentForm(data, instance=student, school=school, classes=classes, class_required=not keeper)
    formset = GuardianFormSet(data, instance=student, prefix="guardians")
    return form, formset


@login_required
@require_http_methods(["GET", "POST"])
def student_add(request, school_pk: int):
    school = _school(request, "students.add_student", school_pk)
    return _edit_student(request, school, Student(school=school))


@login_required
@require_http_methods(["GET", "POST"])
def student_edit(request, pk: int):
    student = get_for_user_or_404(
        request, "students.change_student", Student.objects.select_related("school", "school_class"), pk=pk
    )
    return _edit_student(request, student.school, student)


def _edit_student(request, school, student: Student):
    form, formset = _student_forms(request, school, student)
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            try:
                saved = save_student(
                    form.save(commit=False),
                    guardians=formset.save(commit=False),
                    removed=list(formset.deleted_objects),
                    by=request.user,
                    request=request,
                )
            except RegisterError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("学生信息已保存。"))
                return redirect("students:edit", pk=saved.pk)
        status = 400
    elif student.pk:
        # Opening a student's record reads personal data (guardians' phones stay masked).
        record("xinan.student.view", request=request, obj=student)
    return render(
        request,
        "students/student_form.html",
        {
            "school": school,
            "student": student,
            "form": form,
            "formset": formset,
            "age": student.age_on(timezone.localdate()) if student.pk else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_list(request, school_pk: int):
    school = _school(request, "students.manage_classes", school_pk)
    form = SchoolClassForm(
        request.POST or None, instance=SchoolClass(school=school), school=school, staff=staff_of_school(school)
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_class(form.save(commit=False), by=request.user, request=request)
        except RegisterError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("班级已添加。"))
            return redirect("students:classes", school_pk=school.pk)
    classes = (
        SchoolClass.objects.filter(school=school)
        .select_related("class_teacher")
        .annotate(student_count=Count("students"))
    )
    return render(
        request,
        "students/classes.html",
        {"school": school, "classes": classes, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_edit(request, pk: int):
    school_class = get_for_user_or_404(
        request, "students.change_class", SchoolClass.objects.select_related("school"), pk=pk
    )
    school = school_class.school
    form = SchoolClassForm(request.POST or None, instance=school_class, school=school, staff=staff_of_school(school))
    if request.method == "POST" and form.is_valid():
        try:
            save_class(form.save(commit=False), by=request.user, request=request)
        except RegisterError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("班级已保存。"))
            return redirect("students:classes", school_pk=school.pk)
    return render(
        request,
        "students/class_form.html",
        {"school": school, "school_class": school_class, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def student_import(request, school_pk: int):
    school = _school(request, "students.import_students", school_pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                outcome = import_students(
                    school,
                    upload.read(),
                    by=request.user,
                    request=request,
                    check_only=form.cleaned_data["check_only"],
                )
            except ImportFileError as exc:
                form.add_error("file", exc.message)
        if form.errors or (outcome and outcome.errors):
            status = 400
    return render(request, "students/import.html", {"school": school, "form": form, "outcome": outcome}, status=status)


@login_required
@require_GET
def import_template(request, school_pk: int):
    _school(request, "students.import_students", school_pk)
    response = HttpResponse(
        build_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    # An ASCII name for old browsers, the Chinese name (学生名单模板.xlsx) for the rest.
    response["Content-Disposition"] = "attachment; filename=\"students-template.xlsx\"; filename*=UTF-8''" + quote(
        "学生名单模板.xlsx"
    )
    return response
