"""Guardian notices (告知书): write from a template and send by SMS, record the guardian's
response, print; the list on the case page shows each SMS's delivery status."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xinan.audit.services.record import record
from xinan.cases import sections
from xinan.cases.enums import NoticePurpose
from xinan.cases.forms_notices import NoticeForm, NoticeResponseForm
from xinan.cases.models import GuardianNotice
from xinan.cases.services import notices_guardian
from xinan.cases.views.work import case_for, form_page, posted
from xinan.web.access import refuse

PERM = "cases.change_case"

sections.register(15, "cases/sections/notices.html", PERM)


def _notice_of(request, case, notice_pk: int) -> GuardianNotice:
    notice = GuardianNotice.objects.filter(case=case, pk=notice_pk).select_related("guardian", "message").first()
    if notice is None:
        refuse(request, permission=PERM, obj=case, organisation=case.school)
    return notice


@login_required
@require_http_methods(["GET", "POST"])
def notice_send(request, pk: int):
    case = case_for(request, PERM, pk)
    purpose = request.GET.get("purpose", NoticePurpose.CRISIS_FOUND)
    if purpose not in NoticePurpose.values:
        purpose = NoticePurpose.CRISIS_FOUND
    guardian = case.student.guardians.first() if case.student_id else None
    initial = {
        "purpose": purpose,
        "guardian": guardian,
        "text": notices_guardian.prefill(case, purpose, guardian=guardian),
    }
    form = NoticeForm(posted(request), case=case, initial=initial)
    return form_page(
        request,
        case,
        form,
        lambda data: notices_guardian.send_notice(case, by=request.user, request=request, **data),
        title=_("发送监护人告知书"),
        done=_("告知书已保存，短信已进入发送队列。"),
        template="cases/notices/send.html",
        context={"purposes": NoticePurpose.choices, "purpose": purpose},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_response(request, pk: int, notice_pk: int):
    case = case_for(request, PERM, pk)
    notice = _notice_of(request, case, notice_pk)
    form = NoticeResponseForm(posted(request))
    return form_page(
        request,
        case,
        form,
        lambda data: notices_guardian.record_response(notice, by=request.user, request=request, **data),
        title=_("记录监护人对告知书的回应"),
        done=_("监护人的回应已记录。"),
        template="cases/notices/response.html",
        context={"notice": notice},
    )


@login_required
@require_GET
def notice_print(request, pk: int, notice_pk: int):
    case = case_for(request, PERM, pk)
    notice = _notice_of(request, case, notice_pk)
    record("xinan.case.notice.print", request=request, organisation=case.school, obj=case, after={"notice": notice.pk})
    return render(request, "cases/notices/print.html", {"case": case, "notice": notice})


urlpatterns = [
    path("<int:pk>/notices/new/", notice_send, name="notice_send"),
    path("<int:pk>/notices/<int:notice_pk>/response/", notice_response, name="notice_response"),
    path("<int:pk>/notices/<int:notice_pk>/print/", notice_print, name="notice_print"),
]
