from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinan.reports.enums import FlagDecisionKind, ReportUseBasis
from xinan.reports.models.report import SECTION_FIELDS
from xinan.reports.services.documents import TEXT_FIELDS, field_label
from xinan_reportformat.model import OFFICIAL_SUBTITLE_FORM

MAX_SECTION_LENGTH = 20000


class ReportForm(forms.Form):
    """Title, subtitle, the five sections and the footnote, as the author types them."""

    title = forms.CharField(label=_("主标题"), max_length=200, required=False)
    subtitle = forms.CharField(
        label=_("副标题"),
        max_length=200,
        required=False,
        help_text=_("固定格式：%(form)s") % {"form": OFFICIAL_SUBTITLE_FORM},
    )
    has_artistic_footnote = forms.BooleanField(
        label=_("在副标题后加注：文中人物身份信息和案例情节已进行艺术加工"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update({"autocomplete": "off"})
        self.fields["subtitle"].widget.attrs.update({"placeholder": OFFICIAL_SUBTITLE_FORM, "autocomplete": "off"})
        for key in SECTION_FIELDS:
            self.fields[key] = forms.CharField(
                label=field_label(key),
                required=False,
                max_length=MAX_SECTION_LENGTH,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 8}),
            )
        # The order the template prints them in.
        self.order_fields([*TEXT_FIELDS, "has_artistic_footnote"])

    def enable_live_check(self, url: str) -> None:
        """Ask htmx to post the typed text for a fresh analysis, shortly after each change."""
        for name in [*TEXT_FIELDS, "has_artistic_footnote"]:
            self.fields[name].widget.attrs.update(
                {
                    "hx-post": url,
                    "hx-trigger": "input changed delay:600ms, change",
                    "hx-target": "#report-analysis",
                    "hx-include": "#content-fields",
                    "hx-sync": "#report-form:replace",
                    "hx-swap": "innerHTML",
                }
            )

    def texts(self) -> dict[str, str]:
        return {field: self.cleaned_data.get(field) or "" for field in TEXT_FIELDS}

    def section_fields(self):
        return [self[key] for key in SECTION_FIELDS]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("上传 Word（.docx）或 PDF 文件"), required=False, allow_empty_file=True)
    text = forms.CharField(
        label=_("或粘贴报告全文"),
        required=False,
        max_length=100000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FlagDecisionForm(forms.Form):
    kind = forms.CharField(max_length=20)
    text = forms.CharField(max_length=200, strip=False)
    decision = forms.ChoiceField(choices=FlagDecisionKind.choices)
    replacement = forms.CharField(max_length=200, required=False)
    reason = forms.CharField(max_length=300, required=False)


class DraftFromCaseForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("使用该个案撰写案例报告的依据"), choices=ReportUseBasis.choices, widget=forms.RadioSelect
    )
    basis_note = forms.CharField(
        label=_("依据说明"),
        required=False,
        max_length=300,
        help_text=_("以同意为依据时必填：同意人（学生本人或监护人）、日期、形式，书面同意的存放位置。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_(
            "我确认：报告将只用于案例征集和培训交流，我会对当事人化名，并隐去学校、院系、年级、住址、家庭等可识别信息。"
        ),
        required=True,
        error_messages={"required": _("请确认您将对报告进行去标识化处理。")},
    )
