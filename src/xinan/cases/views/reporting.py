"""The first report, from any staff member's phone, and the reporter's receipt."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from xinan.cases.forms import FirstReportForm
from xinan.cases.models import FirstReport
from xinan.cases.services.errors import CaseError
from xinan.cases.services.reporting import file_first_report
from xinan.organisations.enums import SCHOOL_ROLES
from xinan.organisations.models import Organisation
from xinan.organisations.services.queries import school_ids_with_roles
from xinan.students.services.queries import find_students, students_for_user
from xinan.web.access import get_for_user_or_404, refuse


def _reporting_school(request):
    ids = sorted(school_ids_with_roles(request.user, SCHOOL_ROLES))
    if not ids:
        refuse(request, permission="cases.file_first_report")
    return Organisation.objects.get(pk=ids[0])


@login_required
@require_http_methods(["GET", "POST"])
def first_report(request):
    school = _reporting_school(request)
    form = FirstReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        student = None
        if data.get("student_id"):
            student = students_for_user(request.user).filter(pk=data["student_id"], school=school).first()
        try:
            report = file_first_report(
                school=school,
                reporter=request.user,
                student=student,
                student_text=data.get("student_text", ""),
                occurred_at=data["occurred_at"],
                location=data["location"],
                categories=data["categories"],
                observed=data["observed"],
                measures=data["measures"],
                injury=data["injury"],
                guardian_informed=data["guardian_informed"],
                request=request,
            )
        except CaseError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("cases:receipt", token=report.receipt_token)
    return render(
        request, "cases/first_report.html", {"form": form, "school": school}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def student_search(request):
    """htmx: exact matches on student number or name (both are stored encrypted, looked up by blind index)."""
    school = _reporting_school(request)
    query = request.GET.get("student_query", "").strip()
    students = find_students(students_for_user(request.user).filter(school=school), query)[:10] if query else []
    return render(request, "cases/_student_matches.html", {"students": students, "query": query})


@login_required
@require_GET
def receipt(request, token: str):
    report = get_for_user_or_404(
        request, "cases.view_receipt", FirstReport.objects.select_related("case"), receipt_token=token
    )
    from xinan.cases.models import SchoolCrisisSettings

    settings_row = SchoolCrisisSettings.objects.filter(school_id=report.case.school_id).first()
    duty_phone = settings_row.duty_phone if settings_row else ""
    return render(request, "cases/receipt.html", {"report": report, "duty_phone": duty_phone})


urlpatterns = [
    path("report/", first_report, name="first_report"),
    path("report/students/", student_search, name="student_search"),
    path("report/received/<str:token>/", receipt, name="receipt"),
]
