from django import forms
from django.utils.translation import gettext_lazy as _

from xinan.audit.enums import AuditAction


class AuditSearchForm(forms.Form):
    action = forms.ChoiceField(label=_("动作"), required=False, choices=[("", _("全部")), *AuditAction.choices])
    actor = forms.CharField(
        label=_("操作人"), required=False, max_length=40, help_text=_("填写操作人的完整姓名。")
    )
    since = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    refusals_only = forms.BooleanField(label=_("只看拒绝与失败"), required=False)
