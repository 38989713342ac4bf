"""Privacy pages: the processing rules and children's rules (read by everyone signed in,
edited by the security or national administrator) and a case's lawful basis and consents.
Views are thin: permission through the list query and the object rule (audited 404
outside it), one service call, errors as messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinan.audit.services.record import record
from xinan.cases.enums import LawfulBasis
from xinan.cases.services.queries import cases_for_user
from xinan.cases.services.school_admin import crisis_settings_of
from xinan.crypto.files import read_encrypted
from xinan.organisations.enums import SCHOOL_ROLES
from xinan.organisations.models import Organisation
from xinan.organisations.services.queries import school_ids_with_roles
from xinan.privacy.enums import PolicySlug, PrivacyAction
from xinan.privacy.forms import BasisForm, ConsentRecordForm, PolicyPageForm, WithdrawForm
from xinan.privacy.services import consent as consent_service
from xinan.privacy.services import masking
from xinan.privacy.services.errors import PrivacyError
from xinan.privacy.services.policy import fill_blanks, policy_page, update_policy_page
from xinan.privacy.services.queries import consents_for_user
from xinan.web.access import get_for_user_or_404, refuse, require_perm


@login_required
@require_GET
def policy_view(request, slug: str):
    page = policy_page(slug)
    school = _reader_school(request.user)
    crisis_settings = crisis_settings_of(school) if school is not None else None
    filled = fill_blanks(page.body, crisis_settings=crisis_settings, has_school=school is not None)
    may_set_up = school is not None and request.user.has_perm("cases.manage_school_crisis", school)
    return render(
        request,
        "privacy/policy.html",
        {
            "page": page,
            "body": filled.body,
            "setup_missing": filled.missing if may_set_up else [],
            "setup_school": school,
            "can_edit": request.user.has_perm("privacy.change_policypage"),
            "edit_url": reverse(_policy_url_name(slug) + "_edit"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request, slug: str):
    require_perm(request, "privacy.change_policypage")
    page = policy_page(slug)
    form = PolicyPageForm(request.POST or None, initial={"title": page.title, "body": page.body})
    if request.method == "POST" and form.is_valid():
        try:
            update_policy_page(slug, actor=request.user, **form.cleaned_data)
        except PrivacyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("页面已保存。"))
            return redirect(_policy_url_name(slug))
    return render(
        request, "privacy/policy_edit.html", {"page": page, "form": form, "back_url": reverse(_policy_url_name(slug))}
    )


def _reader_school(user):
    """The school whose contact the rules pages name for this reader (their first school)."""
    ids = sorted(school_ids_with_roles(user, SCHOOL_ROLES))
    return Organisation.objects.filter(pk=ids[0]).first() if ids else None


def _policy_url_name(slug: str) -> str:
    return "privacy:children" if slug == PolicySlug.CHILDREN else "privacy:rules"


def _case(request, perm: str, pk: int):
    return get_for_user_or_404(request, perm, cases_for_user(request.user).select_related("student"), pk=pk)


def _render_case(request, case, *, consent_form=None, basis_form=None, status=200):
    can_change = request.user.has_perm("cases.change_case", case)
    consents = list(case.consents.all())
    return render(
        request,
        "privacy/case_consents.html",
        {
            "case": case,
            "is_consent_basis": case.lawful_basis == LawfulBasis.CONSENT,
            "coverage": consent_service.coverage(case),
            "consents": consents,
            "required_today": consent_service.consent_required_from(case.student, _today()),
            "age_known": consent_service.student_age_on(case.student, _today()) is not None,
            "can_change": can_change,
            "consent_form": consent_form or ConsentRecordForm(),
            "basis_form": basis_form or BasisForm(initial={"basis": case.lawful_basis}),
            "withdraw_form": WithdrawForm(),
        },
        status=status,
    )


def _today():
    return timezone.localdate()


@login_required
@require_GET
def case_consents(request, pk: int):
    case = _case(request, "cases.view_case", pk)
    return _render_case(request, case)


@login_required
@require_POST
def consent_add(request, pk: int):
    case = _case(request, "cases.change_case", pk)
    form = ConsentRecordForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("proof")
        try:
            consent_service.record_consent(
                case=case, actor=request.user, proof=upload.read() if upload else None, **data
            )
        except PrivacyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("同意已记录。"))
            return redirect("privacy:case_consents", pk=case.pk)
    return _render_case(request, case, consent_form=form, status=400)


@login_required
@require_POST
def consent_withdraw(request, consent_pk: int):
    consent = get_for_user_or_404(
        request, "privacy.change_consent", consents_for_user(request.user).select_related("case"), pk=consent_pk
    )
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明撤回说明。"))
    else:
        try:
            consent_service.withdraw_consent(consent, note=form.cleaned_data["note"], actor=request.user)
        except PrivacyError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已记录撤回同意。"))
    return redirect("privacy:case_consents", pk=consent.case_id)


@login_required
@require_GET
def consent_proof(request, consent_pk: int):
    consent = get_for_user_or_404(
        request, "privacy.view_consent", consents_for_user(request.user).select_related("case"), pk=consent_pk
    )
    if not consent.proof_storage_name:
        messages.error(request, _("该同意没有上传凭证。"))
        return redirect("privacy:case_consents", pk=consent.case_id)
    data = read_encrypted(consent.proof_storage_name, sha256=consent.proof_sha256)
    record(PrivacyAction.CONSENT_PROOF_VIEWED, request=request, obj=consent.case, reason=f"consent {consent.pk}")
    response = HttpResponse(data, content_type=consent.proof_content_type)
    response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def basis_change(request, pk: int):
    case = _case(request, "cases.change_case", pk)
    form = BasisForm(request.POST)
    if form.is_valid():
        try:
            consent_service.change_lawful_basis(case, actor=request.user, **form.cleaned_data)
        except PrivacyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("处理依据已变更。"))
            return redirect("privacy:case_consents", pk=case.pk)
    return _render_case(request, case, basis_form=form, status=400)


@login_required
@require_GET
@never_cache
def reveal_field(request, key: str, pk: int):
    """The full phone or ID number behind a masked one, for a reader allowed to see it; the
    permission is checked again here on the object and every reveal is recorded."""
    maskable = masking.MASKABLE.get(key)
    if maskable is None:
        refuse(request, permission="privacy.reveal", object_ref=f"{key}={pk}")
    obj = get_for_user_or_404(request, maskable.permission, maskable.model_class().objects.all(), pk=pk)
    value = masking.reveal(obj, maskable.field, by=request.user, request=request)
    template = "privacy/_revealed.html" if request.htmx else "privacy/revealed.html"
    response = render(request, template, {"value": value, "masked": masking.masked_value(obj, maskable.field)})
    response["Cache-Control"] = "no-store, private"
    return response
