"""The dossier of a case: its page, upload, download, generated letters, export; and the
school's wording of the letters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinan.audit.services.record import body_size, record, record_refused_upload
from xinan.cases import sections
from xinan.cases.models import Case
from xinan.dossier.enums import LetterKind
from xinan.dossier.forms import GenerateForm, LetterTemplateForm, UploadForm
from xinan.dossier.models import Document
from xinan.dossier.services import letters
from xinan.dossier.services.documents import (
    ascii_download_name,
    content_disposition,
    download_document,
    download_name,
    too_large_message,
    upload_document,
)
from xinan.dossier.services.errors import DossierError
from xinan.dossier.services.generate import generate_letter
from xinan.dossier.services.letters import BLOCK_PLACEHOLDERS, INLINE_PLACEHOLDERS
from xinan.dossier.services.queries import documents_by_slot
from xinan.organisations.enums import OrgKind
from xinan.organisations.models import Organisation
from xinan.web.access import get_for_user_or_404

sections.register(60, "dossier/_case_documents.html", "cases.view_case")


def _case_for(request, perm: str, pk: int) -> Case:
    return get_for_user_or_404(
        request, perm, Case.objects.select_related("school", "student__school_class", "assigned_counsellor"), pk=pk
    )


def _file_headers(response, *, filename: str, fallback: str):
    response["Content-Disposition"] = content_disposition(filename, fallback=fallback)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def dossier(request, pk: int):
    case = _case_for(request, "cases.view_case", pk)
    record("xinan.dossier.view", request=request, organisation=case.school, obj=case)
    generated = request.GET.get("generated", "").split(",")
    wanted = [int(part) for part in generated if part.isascii() and part.isdigit() and len(part) <= 18][:2]
    context = {
        "case": case,
        "groups": documents_by_slot(case),
        "generated": Document.objects.filter(case=case, pk__in=wanted, generated=True) if wanted else [],
        "can": {
            "change": request.user.has_perm("cases.change_case", case),
            "export": request.user.has_perm("cases.export_dossier", case),
            "letters": request.user.has_perm("dossier.edit_letter_templates", case.school),
        },
        "safety_plans": case.safety_plans.order_by("-version"),
        "guardian_agreements": case.guardian_agreements.select_related("guardian").order_by("-created_at"),
        "referrals": case.referrals.order_by("-referred_at"),
        "kinds": LetterKind,
    }
    return render(request, "dossier/dossier.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, pk: int):
    # Every file is capped at the largest slot limit while it streams in (xinan.web's upload
    # middleware, installed before the CSRF check reads the body); the slot's own limit is
    # checked by the service while it reads the chunks.
    case = _case_for(request, "cases.change_case", pk)
    form = UploadForm(request.POST or None, request.FILES or None, case=case)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if getattr(request, "upload_too_large", 0):
                record_refused_upload("dossier", "file.too_large", obj=case, request=request, size=body_size(request))
                raise DossierError(too_large_message(request.upload_too_large))
            if uploaded is None:
                raise DossierError(_("请选择要上传的文件。"))
            upload_document(
                case,
                slot=form.cleaned_data["slot"],
                chunks=uploaded.chunks(),
                original_name=uploaded.name,
                by=request.user,
                note=form.cleaned_data["note"],
                safety_plan=form.cleaned_data["safety_plan"],
                guardian_agreement=form.cleaned_data["guardian_agreement"],
                request=request,
            )
        except DossierError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("资料已归档。"))
            return redirect("dossier:case", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "dossier/upload.html", {"case": case, "form": form}, status=status)


@login_required
@require_GET
def download(request, pk: int):
    document = get_for_user_or_404(
        request, "dossier.view_document", Document.objects.select_related("case__school"), pk=pk
    )
    try:
        data = download_document(document, by=request.user, request=request)
    except DossierError as exc:
        context = {"case": document.case, "message": exc.message}
        return render(request, "dossier/file_error.html", context, status=409)
    response = HttpResponse(data, content_type=document.content_type)
    return _file_headers(response, filename=download_name(document), fallback=ascii_download_name(document))


@login_required
@require_POST
def generate(request, pk: int):
    case = _case_for(request, "cases.change_case", pk)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求不完整，请刷新页面后重试。"))
        return redirect("dossier:case", pk=case.pk)
    try:
        word, pdf = generate_letter(
            case, form.cleaned_data["kind"], by=request.user, source_id=form.cleaned_data["source"], request=request
        )
    except DossierError as exc:
        messages.error(request, exc.message)
        return redirect("dossier:case", pk=case.pk)
    messages.success(request, _("“%(kind)s”已生成并归档。") % {"kind": LetterKind(form.cleaned_data["kind"]).label})
    return redirect(f"{reverse('dossier:case', args=[case.pk])}?generated={word.pk},{pdf.pk}")


@login_required
@require_POST
def export(request, pk: int):
    """A bulk export needs a second person's approval: this only leads to the request form;
    the approved archive is downloaded from the exports app."""
    case = _case_for(request, "cases.export_dossier", pk)
    return redirect("exports:request_dossier", case_pk=case.pk)


def _school_for(request, pk: int) -> Organisation:
    return get_for_user_or_404(
        request, "dossier.edit_letter_templates", Organisation.objects.filter(kind=OrgKind.SCHOOL), pk=pk
    )


@login_required
@require_GET
def letter_templates(request, school_pk: int):
    school = _school_for(request, school_pk)
    own = set(school.letter_templates.values_list("kind", flat=True))
    rows = [(kind, kind.value in own) for kind in LetterKind]
    return render(request, "dossier/letter_templates.html", {"school": school, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def letter_template_edit(request, school_pk: int, kind: str):
    school = _school_for(request, school_pk)
    if kind not in LetterKind.values:
        raise Http404
    kind = LetterKind(kind)
    form = LetterTemplateForm(request.POST or None, initial={"text": letters.letter_text(school, kind)})
    if request.method == "POST" and request.POST.get("action") == "reset":
        letters.reset_letter_template(school, kind, by=request.user, request=request)
        messages.success(request, _("已恢复为平台默认模板。"))
        return redirect("dossier:letter_template", school_pk=school.pk, kind=kind.value)
    if request.method == "POST" and form.is_valid():
        try:
            letters.save_letter_template(school, kind, text=form.cleaned_data["text"], by=request.user, request=request)
        except DossierError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, _("模板已保存，之后生成的文书将使用新的内容。"))
            return redirect("dossier:letter_templates", school_pk=school.pk)
    context = {
        "school": school,
        "kind": kind,
        "form": form,
        "inline": INLINE_PLACEHOLDERS.items(),
        "blocks": BLOCK_PLACEHOLDERS.items(),
        "default_text": letters.default_letter_text(kind),
    }
    return render(request, "dossier/letter_template_edit.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("cases/<int:pk>/", dossier, name="case"),
    path("cases/<int:pk>/upload/", upload, name="upload"),
    path("cases/<int:pk>/generate/", generate, name="generate"),
    path("cases/<int:pk>/export/", export, name="export"),
    path("documents/<int:pk>/download/", download, name="download"),
    path("schools/<int:school_pk>/letters/", letter_templates, name="letter_templates"),
    path("schools/<int:school_pk>/letters/<slug:kind>/", letter_template_edit, name="letter_template"),
]
