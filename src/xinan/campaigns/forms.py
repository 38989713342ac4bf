from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinan.accounts.validators import mask_phone, normalise_phone
from xinan.campaigns.enums import DECLARATIONS, Outcome

MAX_UPLOAD = 20 * 1024 * 1024


class InfoForm(forms.Form):
    title = forms.CharField(label=_("主标题"), max_length=100)
    subtitle = forms.CharField(
        label=_("副标题"), max_length=150, help_text=_("——一例由（诱发事件）引发的（危机性质）危机的干预报告")
    )
    authors = forms.CharField(
        label=_("作者（每行一位：姓名，单位，职务）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=600
    )
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20)
    trigger = forms.CharField(label=_("诱发事件"), max_length=20)
    nature = forms.CharField(label=_("危机性质"), max_length=20)
    outcome = forms.ChoiceField(label=_("干预结果"), choices=Outcome.choices, widget=forms.RadioSelect)

    def __init__(self, *args, triggers=(), natures=(), stored_phone="", subtitle_terms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_phone = stored_phone
        if stored_phone:
            # The stored number never goes into the page: left empty, the field keeps it.
            self.fields["contact_phone"].required = False
            self.fields["contact_phone"].widget.attrs["placeholder"] = mask_phone(stored_phone)
            self.fields["contact_phone"].help_text = _("留空则保留原号码；输入新号码将替换原号码。")
        # The campaign's categories only: the statistics count them, a free word would split a row.
        self.triggers, self.natures = list(triggers), list(natures)
        for name, categories in (("trigger", self.triggers), ("nature", self.natures)):
            label = self.fields[name].label
            self.fields[name] = forms.ChoiceField(
                label=label, choices=[("", _("请选择"))] + [(category, category) for category in categories]
            )
            words = (subtitle_terms or {}).get(name)
            if words:
                self.fields[name].help_text = _("副标题中写的是“%(w)s”；统计按本次征集的类别，请确认或另选。") % {
                    "w": words
                }

    def clean_contact_phone(self):
        if not self.cleaned_data["contact_phone"] and self.stored_phone:
            return self.stored_phone
        return normalise_phone(self.cleaned_data["contact_phone"])

    def clean_authors(self):
        authors = []
        for line in self.cleaned_data["authors"].splitlines():
            parts = [part.strip() for part in line.replace("，", ",").split(",")]
            if not any(parts):
                continue
            if len(parts) != 3 or not all(parts):
                raise forms.ValidationError(_("每位作者一行，写成“姓名，单位，职务”。"))
            authors.append({"name": parts[0], "unit": parts[1], "position": parts[2]})
        if not authors:
            raise forms.ValidationError(_("请至少填写一位作者。"))
        if len(authors) > 5:
            raise forms.ValidationError(_("作者最多5位。"))
        return authors


class FilesForm(forms.Form):
    docx = forms.FileField(label=_("案例报告 Word 版（.docx）"))
    pdf = forms.FileField(label=_("案例报告 PDF 版"))

    def _read(self, name: str) -> bytes:
        upload = self.cleaned_data[name]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件不能超过 20 MB。"))
        if upload.size == 0:
            raise forms.ValidationError(_("文件是空的，请重新选择。"))
        return b"".join(upload.chunks())

    def clean_docx(self):
        return self._read("docx")

    def clean_pdf(self):
        return self._read("pdf")


class KeepFlagForm(forms.Form):
    key = forms.CharField(max_length=300, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("保留理由"), min_length=4, max_length=200)


class DeclarationsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, text in enumerate(DECLARATIONS):
            self.fields[f"d{index}"] = forms.BooleanField(label=text, required=True)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("原因"), min_length=4, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
