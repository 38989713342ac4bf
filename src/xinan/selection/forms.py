from django import forms
from django.utils.translation import gettext_lazy as _

from xinan.selection.services.national import COMMENTARY_MAX_CHARS


class SealForm(forms.Form):
    scan = forms.FileField(
        label=_("盖章后的汇总表（照片或扫描 PDF）"),
        error_messages={"required": _("请选择盖章后的汇总表照片或扫描件。"), "empty": _("文件是空的，请重新选择。")},
    )


class CommentaryForm(forms.Form):
    text = forms.CharField(
        label=_("专家点评"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=COMMENTARY_MAX_CHARS,
        error_messages={"required": _("请填写专家点评。")},
    )


class UnselectForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, error_messages={"required": _("请写明原因。")})
