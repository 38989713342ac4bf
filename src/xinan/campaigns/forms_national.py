from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinan.campaigns.models import Campaign
from xinan.campaigns.services.campaigns import rubric_locked
from xinan.organisations.enums import SchoolType

# step=1: without it a browser's picker drops the seconds (the window is enforced to the second).
DT = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S")
DT_INPUT_FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]


class CampaignForm(forms.ModelForm):
    triggers_text = forms.CharField(label=_("诱发事件类别（每行一个）"), widget=forms.Textarea(attrs={"rows": 4}))
    natures_text = forms.CharField(label=_("危机性质类别（每行一个）"), widget=forms.Textarea(attrs={"rows": 4}))
    rubric_text = forms.CharField(
        label=_("评审指标（每行：指标名称，权重）"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("权重为整数，合计须为100。"),
    )
    school_types_choice = forms.MultipleChoiceField(
        label=_("参与学校类型"), choices=SchoolType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "notice",
            "opens_at",
            "closes_at",
            "province_review_closes_at",
            "school_quota",
            "province_quota",
            "province_quota_mode",
            "char_limit",
            "char_limit_mode",
            "char_tolerance",
        ]
        widgets = {
            "notice": forms.Textarea(attrs={"rows": 8}),
            "opens_at": DT,
            "closes_at": DT,
            "province_review_closes_at": DT,
        }
        help_texts = {"closes_at": _("“12月28日24时”即填写 12月29日 00:00:00（北京时间）。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at", "province_review_closes_at"):
            self.fields[name].input_formats = DT_INPUT_FORMATS
        # Left out (an older client, a script), the word-limit rule keeps its current value.
        for name in ("char_limit_mode", "char_tolerance"):
            self.fields[name].required = False
        instance = self.instance
        if rubric_locked(instance):
            self.fields["rubric_text"].disabled = True
            self.fields["rubric_text"].help_text = _("已有专家提交评审意见，评审指标已锁定。")
        self.initial.setdefault("triggers_text", "\n".join(instance.triggers or []))
        self.initial.setdefault("natures_text", "\n".join(instance.natures or []))
        self.initial.setdefault(
            "rubric_text", "\n".join(f"{item['name']}，{item['weight']}" for item in instance.rubric or [])
        )
        self.initial.setdefault("school_types_choice", instance.school_types or [SchoolType.UNIVERSITY])

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean_char_limit_mode(self):
        return self.cleaned_data["char_limit_mode"] or self.instance.char_limit_mode

    def clean_char_tolerance(self):
        value = self.cleaned_data["char_tolerance"]
        return self.instance.char_tolerance if value is None else value

    def clean_triggers_text(self):
        return self._lines(self.cleaned_data["triggers_text"])

    def clean_natures_text(self):
        return self._lines(self.cleaned_data["natures_text"])

    def clean_rubric_text(self):
        rubric = []
        for line in self._lines(self.cleaned_data["rubric_text"]):
            name, _sep, weight = line.replace("，", ",").rpartition(",")
            if not name.strip() or not weight.strip().isdigit():
                raise forms.ValidationError(_("每行写成“指标名称，权重”，权重为整数。"))
            rubric.append({"name": name.strip(), "weight": int(weight)})
        if sum(item["weight"] for item in rubric) != 100:
            raise forms.ValidationError(_("各项权重合计须为100。"))
        return rubric

    def clean(self):
        data = super().clean()
        opens, closes, review = data.get("opens_at"), data.get("closes_at"), data.get("province_review_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("截止时间应晚于开始时间。"))
        if closes and review and review <= closes:
            self.add_error("province_review_closes_at", _("省级审核截止时间应晚于填报截止时间。"))
        return data

    def save(self, commit=True):
        campaign = super().save(commit=False)
        campaign.triggers = self.cleaned_data["triggers_text"]
        campaign.natures = self.cleaned_data["natures_text"]
        campaign.rubric = self.cleaned_data["rubric_text"]
        campaign.school_types = self.cleaned_data["school_types_choice"]
        if commit:
            campaign.save()
        return campaign
