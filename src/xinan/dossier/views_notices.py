"""A guardian notice (告知书) downloaded as Word or PDF from the notice page: the same rule as
the notice pages (``cases.change_case`` on its case), an audited 404 for anyone else, and the
file headers of the other dossier downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from xinan.cases.models import Case, GuardianNotice
from xinan.dossier.services.documents import content_disposition
from xinan.dossier.services.notices import FORMATS, notice_file
from xinan.web.access import get_for_user_or_404, refuse

PERM = "cases.change_case"


@login_required
@require_GET
def notice_document(request, pk: int, notice_pk: int, fmt: str):
    case = get_for_user_or_404(request, PERM, Case.objects.select_related("school", "student__school_class"), pk=pk)
    notice = GuardianNotice.objects.filter(case=case, pk=notice_pk).select_related("guardian").first()
    if notice is None or fmt not in FORMATS:
        refuse(request, permission=PERM, obj=case, organisation=case.school)
    notice.case = case
    file = notice_file(notice, fmt, by=request.user, request=request)
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition(file.name, fallback=file.fallback_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


urlpatterns = [
    path("cases/<int:pk>/notices/<int:notice_pk>/<slug:fmt>/", notice_document, name="notice_document"),
]
