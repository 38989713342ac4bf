"""The clinical wall: counselling notes (咨询记录) for counselling staff only, and the explicit,
audited sharing of a chosen excerpt with the crisis team."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xinan.audit.services.record import record
from xinan.cases import sections
from xinan.cases.forms_work import CounsellingNoteForm, ShareExcerptForm
from xinan.cases.services import counselling
from xinan.cases.views.work import case_for, form_page, posted
from xinan.web.access import refuse

NOTES_PERM = "cases.view_counselling_notes"

sections.register(30, "cases/sections/counselling.html", NOTES_PERM)


@login_required
@require_http_methods(["GET", "POST"])
def add_note(request, pk: int):
    case = case_for(request, NOTES_PERM, pk)
    form = CounsellingNoteForm(posted(request))
    return form_page(
        request,
        case,
        form,
        lambda data: counselling.add_note(case, by=request.user, text=data["text"], request=request),
        title=_("添加咨询记录"),
        done=_("咨询记录已保存（仅心理咨询人员可见）。"),
        template="cases/counselling/note.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_excerpt(request, pk: int, note_pk: int):
    case = case_for(request, NOTES_PERM, pk)
    note = case.counselling_notes.select_related("author").filter(pk=note_pk).first()
    if note is None:
        refuse(request, permission=NOTES_PERM, obj=case, organisation=case.school)
    if request.method == "GET":
        record("xinan.case.counselling_note.view", request=request, organisation=case.school, obj=case)
    form = ShareExcerptForm(posted(request))
    return form_page(
        request,
        case,
        form,
        lambda data: counselling.share_excerpt(note, by=request.user, request=request, **data),
        title=_("共享摘录给危机干预小组"),
        done=_("摘录已共享给危机干预小组。"),
        template="cases/counselling/share.html",
        context={"note": note},
    )


urlpatterns = [
    path("<int:pk>/counselling/notes/add/", add_note, name="counselling_note_add"),
    path("<int:pk>/counselling/notes/<int:note_pk>/share/", share_excerpt, name="counselling_share"),
]
