from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.training.enums import ActivityKind, Audience
from xinan.training.services.activities import MAX_PEOPLE


class ActivityForm(forms.Form):
    held_on = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    audience = forms.ChoiceField(label=_("对象"), choices=Audience.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("形式"), choices=ActivityKind.choices, widget=forms.RadioSelect)
    topic = forms.CharField(label=_("主题"), max_length=120)
    attendance = forms.IntegerField(label=_("参加人数"), min_value=1, max_value=MAX_PEOPLE)
    target_size = forms.IntegerField(
        label=_("目标群体人数（可不填）"),
        min_value=1,
        max_value=MAX_PEOPLE,
        required=False,
        help_text=_("例如全年级学生数、全体班主任数，用于计算覆盖率。"),
    )
    materials = forms.CharField(
        label=_("材料说明（可不填）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("课件、讲稿、演练脚本等材料的名称与存放位置。请勿填写学生个人信息。"),
    )


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
