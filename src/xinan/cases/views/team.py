"""Editing the crisis-team roster (organisations:team) by the school's team leader."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from xinan.accounts.validators import INVALID_PHONE, normalise_phone
from xinan.cases.services.team import TeamError, change_team_member, enlist_team_member, remove_team_member
from xinan.organisations.enums import CRISIS_TEAM_ROLES, OrgKind, Role
from xinan.organisations.models import Membership, Organisation
from xinan.organisations.services.team import staff_of_school
from xinan.web.access import get_for_user_or_404, refuse

PERMISSION = "organisations.change_crisis_team"
TEAM_ROLE_CHOICES = [(role.value, role.label) for role in Role if role in CRISIS_TEAM_ROLES]


class TeamMemberAddForm(forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("从本校教职工中选择"), queryset=Membership.objects.none(), required=False
    )
    new_name = forms.CharField(label=gettext_lazy("或新建教职工账号：姓名"), max_length=40, required=False)
    new_phone = forms.CharField(
        label=gettext_lazy("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=gettext_lazy("小组角色"), choices=TEAM_ROLE_CHOICES)
    position = forms.CharField(label=gettext_lazy("职务"), max_length=60, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_of_school(school)
        self.fields["user"].label_from_instance = lambda user: f"{user.name}（{user.masked_phone}）"
        self.fields["user"].empty_label = _("—— 请选择 ——")

    def clean(self):
        data = super().clean()
        user, name, phone = data.get("user"), (data.get("new_name") or "").strip(), data.get("new_phone") or ""
        if user is None and not (name or phone):
            raise forms.ValidationError(_("请选择一名教职工，或填写新教职工的姓名和手机号。"))
        if user is not None and (name or phone):
            raise forms.ValidationError(_("选择了已有教职工时，请不要再填写新账号信息。"))
        if user is None:
            if not name:
                self.add_error("new_name", _("请填写姓名。"))
            try:
                data["new_phone"] = normalise_phone(phone)
            except forms.ValidationError:
                self.add_error("new_phone", INVALID_PHONE)
        return data


class TeamMemberChangeForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("小组角色"), choices=TEAM_ROLE_CHOICES)
    position = forms.CharField(label=gettext_lazy("职务"), max_length=60, required=False)


def _school(request, pk: int) -> Organisation:
    return get_for_user_or_404(request, PERMISSION, Organisation.objects.filter(kind=OrgKind.SCHOOL), pk=pk)


def _membership(request, pk: int) -> Membership:
    membership = (
        Membership.objects.filter(pk=pk, role__in=CRISIS_TEAM_ROLES, is_active=True)
        .select_related("organisation", "user")
        .first()
    )
    if membership is None or not request.user.has_perm(PERMISSION, membership.organisation):
        refuse(
            request,
            permission=PERMISSION,
            obj=membership,
            organisation=membership.organisation if membership else None,
            object_ref=f"membership={pk}",
        )
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def team_member_add(request, pk: int):
    school = _school(request, pk)
    form = TeamMemberAddForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enlist_team_member(
                school,
                user=data["user"],
                name=data["new_name"],
                phone=data["new_phone"],
                role=data["role"],
                position=data["position"],
                by=request.user,
                request=request,
            )
        except TeamError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已加入危机干预工作小组。"))
            return redirect("organisations:team", pk=school.pk)
    return render(
        request, "cases/team_member_add.html", {"school": school, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_member_change(request, pk: int):
    membership = _membership(request, pk)
    initial = {"role": membership.role, "position": membership.position}
    form = TeamMemberChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change_team_member(
                membership,
                role=form.cleaned_data["role"],
                position=form.cleaned_data["position"],
                by=request.user,
                request=request,
            )
        except TeamError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("小组成员信息已保存。"))
            return redirect("organisations:team", pk=membership.organisation_id)
    return render(
        request,
        "cases/team_member_change.html",
        {"school": membership.organisation, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def team_member_remove(request, pk: int):
    membership = _membership(request, pk)
    try:
        remove_team_member(membership, by=request.user, request=request)
    except TeamError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已将该成员移出危机干预工作小组。"))
    return redirect("organisations:team", pk=membership.organisation_id)


urlpatterns = [
    path("school/<int:pk>/team/add/", team_member_add, name="team_add"),
    path("team/<int:pk>/", team_member_change, name="team_change"),
    path("team/<int:pk>/remove/", team_member_remove, name="team_remove"),
]
