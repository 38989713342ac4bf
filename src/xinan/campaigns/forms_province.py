from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinan.accounts.validators import normalise_phone


class AddFilerForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=forms.TextInput(attrs={"type": "tel"}))
    school = forms.ModelChoiceField(label=_("学校"), queryset=None, empty_label=_("请选择学校"))
    # Shown only after the phone turned out to be recorded under another name or school.
    confirm = forms.BooleanField(label=_("确认是同一人"), required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])


class ExtensionForm(forms.Form):
    until = forms.DateTimeField(
        label=_("延期至"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"),
        input_formats=["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    reason = forms.CharField(label=_("原因"), min_length=4, max_length=200)
