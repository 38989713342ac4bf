from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.cases.enums import LawfulBasis
from xinan.privacy.enums import ConsentForm, ConsentGiver, ConsentPurpose
from xinan.students.enums import GuardianRelation


class ConsentRecordForm(forms.Form):
    purpose = forms.ChoiceField(label=_("用途"), choices=ConsentPurpose.choices)
    purpose_other = forms.CharField(label=_("其他用途说明"), max_length=200, required=False)
    given_by = forms.ChoiceField(label=_("同意人"), choices=ConsentGiver.choices)
    giver_name = forms.CharField(label=_("同意人姓名"), max_length=40)
    giver_relation = forms.ChoiceField(
        label=_("与学生的关系（监护人同意时填写）"), choices=[("", "—"), *GuardianRelation.choices], required=False
    )
    given_on = forms.DateField(label=_("同意日期"), widget=forms.DateInput(attrs={"type": "date"}))
    form = forms.ChoiceField(label=_("同意形式"), choices=ConsentForm.choices)
    proof = forms.FileField(label=_("同意凭证（PDF 或图片）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("撤回说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class BasisForm(forms.Form):
    basis = forms.ChoiceField(label=_("处理依据"), choices=LawfulBasis.choices)
    reason = forms.CharField(label=_("变更理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class PolicyPageForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 24}))
