from django import forms
from django.utils.translation import gettext_lazy as _


class ExportRequestForm(forms.Form):
    purpose = forms.CharField(
        label=_("导出用途"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明为什么需要导出、交给谁使用。用途会作为水印印在导出文件上，并记入告知记录。"),
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "approve"), ("refuse", "refuse")])
    reason = forms.CharField(label=_("审批意见"), max_length=500, required=False)


class OrganisationExportForm(ExportRequestForm):
    """A student list or case list (purpose only) or an audit extract (purpose and period)."""

    since = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, with_period: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_period:
            del self.fields["since"]
            del self.fields["until"]
