"""School crisis settings and intervention-plan templates, for the team leader and the coordinator."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinan.cases.models import PlanTemplate, SchoolCrisisSettings
from xinan.cases.services.school_admin import (
    crisis_settings_of,
    ensure_default_plan_templates,
    retire_plan_template,
    save_crisis_settings,
    save_plan_template,
)
from xinan.organisations.enums import OrgKind, Role
from xinan.organisations.models import Membership, Organisation
from xinan.web.access import get_for_user_or_404, refuse

PERMISSION = "cases.manage_school_crisis"
DUTY_PHONE = re.compile(r"[0-9][0-9\- ]{5,18}[0-9]")
STEP_WHO_CHOICES = [
    ("counsellor", gettext_lazy("心理老师")),
    ("class_teacher", gettext_lazy("班主任")),
    ("team_leader", gettext_lazy("小组组长")),
    ("health_teacher", gettext_lazy("卫生老师")),
]


def counsellors_of(school):
    """The school's counsellors (and the head of the counselling office), for the duty counsellor."""
    user_ids = Membership.objects.filter(
        organisation__in=[school.pk, *school.children.values_list("pk", flat=True)],
        role__in=[Role.COUNSELLOR, Role.COORDINATOR],
        is_active=True,
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("name", "pk")


class CrisisSettingsForm(forms.ModelForm):
    class Meta:
        model = SchoolCrisisSettings
        fields = [
            "duty_counsellor",
            "duty_phone",
            "hotlines",
            "glass_break_hours",
            "privacy_officer",
            "privacy_phone",
            "privacy_address",
        ]
        widgets = {
            "hotlines": forms.Textarea(attrs={"rows": 4}),
            "duty_phone": forms.TextInput(attrs={"type": "tel"}),
            "privacy_phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty_counsellor"].queryset = counsellors_of(school)
        self.fields["duty_counsellor"].label_from_instance = lambda user: user.name
        self.fields["glass_break_hours"].min_value = 1
        self.fields["glass_break_hours"].max_value = 72
        self.fields["glass_break_hours"].widget.attrs.update({"min": 1, "max": 72})
        self.fields["glass_break_hours"].help_text = _("1 到 72 小时。到期后需重新申请。")

    def clean_duty_phone(self):
        phone = " ".join(self.cleaned_data["duty_phone"].split())
        if phone and not DUTY_PHONE.fullmatch(phone):
            raise forms.ValidationError(_("请填写有效的值班电话，如 0571-88888888 或 13912345678。"))
        return phone

    def clean_privacy_phone(self):
        phone = " ".join(self.cleaned_data["privacy_phone"].split())
        if phone and not DUTY_PHONE.fullmatch(phone):
            raise forms.ValidationError(_("请填写有效的联系电话，如 0571-88888888 或 13912345678。"))
        return phone

    def clean_glass_break_hours(self):
        hours = self.cleaned_data["glass_break_hours"]
        if not 1 <= hours <= 72:
            raise forms.ValidationError(_("紧急访问时长应为 1 到 72 小时。"))
        return hours

    def clean_hotlines(self):
        lines = [" ".join(line.split()) for line in self.cleaned_data["hotlines"].splitlines()]
        return "\n".join(line for line in lines if line)


class PlanTemplateForm(forms.ModelForm):
    class Meta:
        model = PlanTemplate
        fields = ["name", "category", "level", "targets", "actors", "methods"]
        widgets = {
            "targets": forms.Textarea(attrs={"rows": 3}),
            "actors": forms.Textarea(attrs={"rows": 2}),
            "methods": forms.Textarea(attrs={"rows": 3}),
        }


class StepForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("步骤"), max_length=200)
    who = forms.ChoiceField(label=gettext_lazy("负责人"), choices=STEP_WHO_CHOICES)
    within_hours = forms.IntegerField(label=gettext_lazy("时限（小时）"), min_value=1, max_value=24 * 60)


StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True, max_num=30, validate_max=True)


def _school(request, pk: int) -> Organisation:
    return get_for_user_or_404(request, PERMISSION, Organisation.objects.filter(kind=OrgKind.SCHOOL), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def school_settings(request, pk: int):
    school = _school(request, pk)
    form = CrisisSettingsForm(request.POST or None, instance=crisis_settings_of(school), school=school)
    if request.method == "POST" and form.is_valid():
        save_crisis_settings(form.save(commit=False), by=request.user, request=request)
        messages.success(request, _("危机干预设置已保存。"))
        return redirect("cases:school_settings", pk=school.pk)
    return render(
        request, "cases/school_settings.html", {"school": school, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def plan_templates(request, pk: int):
    school = _school(request, pk)
    if ensure_default_plan_templates(school, by=request.user, request=request):
        messages.info(request, _("已为本校预置两个默认预案，请按本校实际情况修改。"))
    templates = PlanTemplate.objects.filter(school=school, is_active=True).order_by("name")
    return render(request, "cases/school_plan_templates.html", {"school": school, "templates": templates})


def _steps_initial(template: PlanTemplate) -> list[dict]:
    return [
        {"title": step.get("title", ""), "who": step.get("who", "counsellor"), "within_hours": step.get("within_hours")}
        for step in template.steps or []
        if isinstance(step, dict)
    ]


def _edit_template(request, school, template: PlanTemplate):
    data = request.POST if request.method == "POST" else None
    form = PlanTemplateForm(data, instance=template)
    steps = StepFormSet(data, initial=None if data else _steps_initial(template), prefix="steps")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        template = form.save(commit=False)
        template.steps = [
            {"title": s["title"], "who": s["who"], "within_hours": s["within_hours"]}
            for s in steps.cleaned_data
            if s and not s.get("DELETE")
        ]
        save_plan_template(template, by=request.user, request=request)
        messages.success(request, _("预案模板已保存。"))
        return redirect("cases:plan_template_edit", pk=template.pk)
    return render(
        request,
        "cases/school_plan_template_form.html",
        {"school": school, "template": template, "form": form, "steps": steps},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_template_add(request, pk: int):
    school = _school(request, pk)
    return _edit_template(request, school, PlanTemplate(school=school))


def _template(request, pk: int) -> PlanTemplate:
    template = PlanTemplate.objects.filter(pk=pk, is_active=True).select_related("school").first()
    if template is None or not request.user.has_perm(PERMISSION, template.school):
        refuse(
            request,
            permission=PERMISSION,
            obj=template,
            organisation=template.school if template else None,
            object_ref=f"plan_template={pk}",
        )
    return template


@login_required
@require_http_methods(["GET", "POST"])
def plan_template_edit(request, pk: int):
    template = _template(request, pk)
    return _edit_template(request, template.school, template)


@login_required
@require_POST
def plan_template_retire(request, pk: int):
    template = _template(request, pk)
    retire_plan_template(template, by=request.user, request=request)
    messages.success(request, _("预案模板已停用。"))
    return redirect("cases:plan_templates", pk=template.school_id)


urlpatterns = [
    path("school/<int:pk>/settings/", school_settings, name="school_settings"),
    path("school/<int:pk>/plans/", plan_templates, name="plan_templates"),
    path("school/<int:pk>/plans/new/", plan_template_add, name="plan_template_add"),
    path("plans/<int:pk>/", plan_template_edit, name="plan_template_edit"),
    path("plans/<int:pk>/retire/", plan_template_retire, name="plan_template_retire"),
]
