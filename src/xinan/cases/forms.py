from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.cases.enums import (
    DIMENSION_GUIDANCE,
    CaseState,
    Dimension,
    Injury,
    MoveDecision,
    ObservationCategory,
    Outcome,
    RiskLevel,
)
from xinan.cases.services.assessment import SCREEN_QUESTIONS


class FirstReportForm(forms.Form):
    student_query = forms.CharField(
        label=_("学生（学号或姓名）"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "输入学号或姓名查找"}),
    )
    student_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    student_text = forms.CharField(
        label=_("找不到时，请写下学生的姓名、年级班级"),
        max_length=100,
        required=False,
    )
    occurred_at = forms.DateTimeField(
        label=_("发现时间"),
        initial=timezone.now,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    location = forms.CharField(label=_("地点"), max_length=100, required=False)
    categories = forms.MultipleChoiceField(
        label=_("所见所闻（可多选）"), choices=ObservationCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    observed = forms.CharField(
        label=_("简要描述"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    measures = forms.CharField(
        label=_("已采取的保护措施"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000
    )
    injury = forms.ChoiceField(
        label=_("身体伤害"), choices=Injury.choices, widget=forms.RadioSelect, initial=Injury.NONE
    )
    guardian_informed = forms.BooleanField(label=_("已告知监护人"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("student_id") and not (data.get("student_text") or "").strip():
            raise forms.ValidationError(_("请选择学生，或写下学生的姓名、年级班级。"))
        return data


class AssessmentForm(forms.Form):
    level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices, widget=forms.RadioSelect)
    in_crisis = forms.TypedChoiceField(
        label=_("是否处于危机状态"),
        choices=[("yes", _("是")), ("no", _("否"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    override_reason = forms.CharField(
        label=_("与建议等级不同时的理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    notes = forms.CharField(
        label=_("评估记录"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for dimension in Dimension:
            self.fields[f"dim_{dimension.value}"] = forms.TypedChoiceField(
                label=dimension.label,
                choices=[(i, str(i)) for i in range(4)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=DIMENSION_GUIDANCE[dimension],
            )
        for key, question in SCREEN_QUESTIONS:
            self.fields[f"screen_{key}"] = forms.BooleanField(label=question, required=False)

    @property
    def dimension_fields(self):
        return [self[f"dim_{d.value}"] for d in Dimension]

    @property
    def screen_fields(self):
        return [self[f"screen_{key}"] for key, _q in SCREEN_QUESTIONS]

    def ratings(self) -> dict:
        return {d.value: self.cleaned_data[f"dim_{d.value}"] for d in Dimension}

    def screen(self) -> dict:
        return {key: self.cleaned_data[f"screen_{key}"] for key, _q in SCREEN_QUESTIONS}


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=CaseState.choices, widget=forms.HiddenInput)
    expected_state = forms.ChoiceField(choices=CaseState.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("原因/说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    outcome = forms.ChoiceField(label=_("结案结果"), choices=[("", "—"), *Outcome.choices], required=False)


class MoveDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=MoveDecision.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("审批意见"), required=False, max_length=1000)


class GlassBreakForm(forms.Form):
    reason = forms.CharField(
        label=_("紧急访问理由"), min_length=5, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部未结案")), *CaseState.choices], required=False)
    level = forms.ChoiceField(label=_("风险等级"), choices=[("", _("全部")), *RiskLevel.choices], required=False)
