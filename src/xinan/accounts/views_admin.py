"""Pages of the system administrator (accounts) and the security administrator (roles).

Thin views: permission, fetch through the list query, one service call, refusals as
Chinese messages with status 400. Neither administrator reaches case content.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinan.accounts.forms_admin import DeactivateForm, PeopleFilterForm, PersonCreateForm, RoleFilterForm, RoleGrantForm
from xinan.accounts.services import administration
from xinan.accounts.services.administration import AdministrationError
from xinan.accounts.services.codes import locked_phones
from xinan.accounts.services.queries import (
    grantees_for_user,
    home_organisations_for_user,
    memberships_for_user,
    people_for_user,
    scope_organisations,
)
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership, Organisation
from xinan.web.access import get_for_user_or_404, require_perm

PAGE_SIZE = 50


def _refuse_outside_scope(request, permission: str) -> None:
    """An organisation outside the scope is refused like any object outside the circle (audited 404)."""
    organisation_id = request.POST.get("organisation", "")
    is_id = organisation_id.isascii() and organisation_id.isdigit() and len(organisation_id) <= 18
    target = Organisation.objects.filter(pk=organisation_id).first() if is_id else None
    if target is not None:
        require_perm(request, permission, target)


# --- System administrator: people ---------------------------------------------------------
@require_GET
@login_required
def people_list(request):
    require_perm(request, "accounts.view_people")
    form = PeopleFilterForm(request.GET or None)
    people = people_for_user(request.user).only("pk", "name", "unit", "phone", "is_active")
    if form.is_bound and form.is_valid():
        if form.cleaned_data["phone"]:
            people = people.filter(phone=form.cleaned_data["phone"])
        if form.cleaned_data["name"].strip():
            people = people.filter(name__icontains=form.cleaned_data["name"].strip())
    elif form.is_bound:
        people = people.none()
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    locked = locked_phones(person.phone for person in page)
    rows = [(person, person.phone in locked) for person in page]
    status = 400 if form.is_bound and form.errors else 200
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "can_create": home_organisations_for_user(request.user).exists(),
    }
    return render(request, "accounts/admin_people.html", context, status=status)


def _person(request, pk: int, permission: str):
    return get_for_user_or_404(request, permission, people_for_user(request.user), pk=pk)


def _person_page(request, person, *, status=200, error: str = "", full_phone: str = "", deactivate_form=None):
    scope = scope_organisations(request.user, Role.SYSTEM_ADMIN)
    memberships = (
        Membership.objects.filter(user=person, organisation__in=scope)
        .select_related("organisation")
        .order_by("organisation__path", "role")
    )
    context = {
        "person": person,
        "locked": bool(locked_phones([person.phone])),
        "memberships": memberships,
        "error": error,
        "full_phone": full_phone,
        "deactivate_form": deactivate_form or DeactivateForm(),
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "accounts/admin_person.html", context, status=status)


@require_GET
@login_required
def person_detail(request, pk: int):
    return _person_page(request, _person(request, pk, "accounts.view_person"))


@require_http_methods(["GET", "POST"])
@login_required
def person_create(request):
    require_perm(request, "accounts.view_people")
    if request.method == "POST":
        _refuse_outside_scope(request, "accounts.create_person")
    organisations = home_organisations_for_user(request.user)
    form = PersonCreateForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require_perm(request, "accounts.create_person", data["organisation"])
        try:
            person = administration.create_person(
                data["organisation"],
                name=data["name"],
                phone=data["phone"],
                unit=data["unit"],
                by=request.user,
                request=request,
            )
        except AdministrationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已创建账号。其他角色请由安全管理员授予。"))
            return redirect("accounts:admin_person", pk=person.pk)
    status = 400 if form.errors else 200
    return render(request, "accounts/admin_person_form.html", {"form": form}, status=status)


@require_POST
@login_required
def person_deactivate(request, pk: int):
    person = _person(request, pk, "accounts.change_person")
    form = DeactivateForm(request.POST)
    if not form.is_valid():
        return _person_page(request, person, status=400, deactivate_form=form)
    try:
        administration.deactivate_person(person, by=request.user, request=request, reason=form.cleaned_data["reason"])
    except AdministrationError as exc:
        return _person_page(request, person, status=400, error=exc.message, deactivate_form=form)
    messages.success(request, _("已停用该账号，其登录会话已全部结束。"))
    return redirect("accounts:admin_person", pk=person.pk)


@require_POST
@login_required
def person_reactivate(request, pk: int):
    person = _person(request, pk, "accounts.change_person")
    try:
        administration.reactivate_person(person, by=request.user, request=request)
    except AdministrationError as exc:
        return _person_page(request, person, status=400, error=exc.message)
    messages.success(request, _("已重新启用该账号。"))
    return redirect("accounts:admin_person", pk=person.pk)


@require_POST
@login_required
def person_unlock(request, pk: int):
    person = _person(request, pk, "accounts.change_person")
    if administration.lift_lockout(person, by=request.user, request=request):
        messages.success(request, _("已解除该账号的登录锁定。"))
    else:
        messages.info(request, _("该账号当前未被锁定。"))
    return redirect("accounts:admin_person", pk=person.pk)


@never_cache
@require_POST
@login_required
def person_reveal_phone(request, pk: int):
    """The full number, shown once on this response; every reveal is an audit entry."""
    person = _person(request, pk, "accounts.reveal_phone")
    full_phone = administration.reveal_phone(person, by=request.user, request=request)
    return _person_page(request, person, full_phone=full_phone)


# --- Security administrator: roles --------------------------------------------------------
@require_GET
@login_required
def role_list(request):
    require_perm(request, "accounts.view_memberships")
    form = RoleFilterForm(request.GET or None)
    memberships = memberships_for_user(request.user)
    include_revoked = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        include_revoked = data["include_revoked"]
        if data["phone"]:
            memberships = memberships.filter(user__phone=data["phone"])
        if data["role"]:
            memberships = memberships.filter(role=data["role"])
    elif form.is_bound:
        memberships = memberships.none()
    if not include_revoked:
        memberships = memberships.filter(is_active=True)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/admin_roles.html", {"form": form, "page": page}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def role_grant(request):
    require_perm(request, "accounts.view_memberships")
    if request.method == "POST":
        _refuse_outside_scope(request, "accounts.grant_role")
    form = RoleGrantForm(request.POST or None, organisations=scope_organisations(request.user, Role.SECURITY_ADMIN))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = grantees_for_user(request.user).filter(phone=data["phone"]).first()
        if person is None:
            form.add_error("phone", _("本单位及下级单位的人员中没有此手机号。新人员请先由系统管理员创建账号。"))
        else:
            try:
                administration.grant_role(
                    data["organisation"],
                    person=person,
                    role=data["role"],
                    position=data["position"],
                    by=request.user,
                    request=request,
                )
            except AdministrationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已授予角色。"))
                return redirect("accounts:admin_roles")
    status = 400 if form.errors else 200
    return render(request, "accounts/admin_role_form.html", {"form": form}, status=status)


@require_POST
@login_required
def role_revoke(request, pk: int):
    membership = get_for_user_or_404(request, "accounts.revoke_role", memberships_for_user(request.user), pk=pk)
    try:
        administration.revoke_role(membership, by=request.user, request=request)
    except AdministrationError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:admin_roles")
    messages.success(request, _("已撤销角色。"))
    return redirect("accounts:admin_roles")
