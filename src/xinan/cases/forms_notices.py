"""Forms for the guardian notices (告知书)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinan.cases.enums import ContactChannel, NoticePurpose, NoticeResponse
from xinan.cases.forms_work import (
    GuardianChoiceField,
    PastDateTimeField,
    _text,
    guardians_of,
    preselect_registered_guardian,
)


class NoticeForm(forms.Form):
    guardian = GuardianChoiceField(
        label=_("监护人"), queryset=None, error_messages={"required": _("请选择接收告知书的监护人。")}
    )
    purpose = forms.ChoiceField(
        label=_("告知事项"), choices=NoticePurpose.choices, error_messages={"required": _("请选择告知事项。")}
    )
    text = _text(
        _("告知书内容"),
        max_length=5000,
        rows=12,
        help_text=_("已按模板预填，可修改。短信只提示监护人与学校联系，不含告知书内容。"),
        error_messages={"required": _("请填写告知书内容。")},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = guardians_of(case)
        preselect_registered_guardian(self)


class NoticeResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("监护人回应"),
        choices=NoticeResponse.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择监护人的回应。")},
    )
    at = PastDateTimeField(_("回应时间"))
    channel = forms.ChoiceField(label=_("回应方式"), choices=ContactChannel.choices, initial=ContactChannel.PHONE)
    guardian_words = _text(
        _("监护人原话（拒绝时必填）"),
        max_length=2000,
        required=False,
        help_text=_("尽量按原话记录，这是监护人责任的依据。"),
    )
