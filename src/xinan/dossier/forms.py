from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.dossier.enums import DocumentSlot, LetterKind


class UploadForm(forms.Form):
    slot = forms.ChoiceField(label=_("资料类别"), choices=[("", "——"), *DocumentSlot.choices])
    file = forms.FileField(
        label=_("文件"),
        required=False,  # checked by the service, so a refused file keeps the rest of the form
        allow_empty_file=True,  # refused by the service too, with the dossier's own message
        widget=forms.ClearableFileInput(attrs={"data-test": "upload-file"}),
    )
    safety_plan = forms.ModelChoiceField(
        label=_("这是哪一版安全计划书的签字扫描件"), queryset=None, required=False, empty_label=_("不关联")
    )
    guardian_agreement = forms.ModelChoiceField(
        label=_("这是哪一份监护人安全协议书的签字扫描件"), queryset=None, required=False, empty_label=_("不关联")
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["safety_plan"].queryset = case.safety_plans.order_by("-version")
        self.fields["safety_plan"].label_from_instance = lambda plan: (
            _("第 %(v)s 版（%(state)s）")
            % {
                "v": plan.version,
                "state": _("已签署") if plan.signed_at else _("未签署"),
            }
        )
        self.fields["guardian_agreement"].queryset = case.guardian_agreements.order_by("-created_at")
        self.fields["guardian_agreement"].label_from_instance = lambda agreement: (
            _("%(date)s 创建（%(state)s）")
            % {
                "date": f"{timezone.localtime(agreement.created_at):%Y-%m-%d}",
                "state": _("已签署") if agreement.signed_at else _("未签署"),
            }
        )


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(choices=LetterKind.choices)
    source = forms.IntegerField(required=False, min_value=1)


class LetterTemplateForm(forms.Form):
    text = forms.CharField(label=_("模板内容"), widget=forms.Textarea(attrs={"rows": 18}), max_length=10_000)
