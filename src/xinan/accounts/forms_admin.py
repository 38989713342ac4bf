"""Forms of the system administrator's and the security administrator's pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinan.accounts.forms import PhoneField
from xinan.organisations.enums import Role
from xinan.organisations.models import Organisation


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{'　' * obj.depth}{obj.name}（{obj.get_kind_display()}）"


class OptionalPhoneField(PhoneField):
    """An exact phone search: empty means no search, anything else must be a valid mobile."""

    def clean(self, value):
        if not (value or "").strip():
            return ""
        return super().clean(value)


class PeopleFilterForm(forms.Form):
    phone = OptionalPhoneField(required=False, label=_("手机号（精确查找）"))
    name = forms.CharField(required=False, max_length=40, label=_("姓名"))


class PersonCreateForm(forms.Form):
    name = forms.CharField(max_length=40, label=_("姓名"))
    phone = PhoneField(label=_("手机号"))
    unit = forms.CharField(required=False, max_length=120, label=_("单位"), help_text=_("不填则为所属组织的名称。"))
    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("所属学校或院系/部门"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class DeactivateForm(forms.Form):
    reason = forms.CharField(required=False, max_length=200, label=_("停用原因"))


class RoleFilterForm(forms.Form):
    phone = OptionalPhoneField(required=False, label=_("手机号（精确查找）"))
    role = forms.ChoiceField(required=False, choices=[("", _("全部角色")), *Role.choices], label=_("角色"))
    include_revoked = forms.BooleanField(required=False, label=_("包括已撤销的角色"))


class RoleGrantForm(forms.Form):
    phone = PhoneField(label=_("人员手机号"))
    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("组织"))
    role = forms.ChoiceField(choices=Role.choices, label=_("角色"))
    position = forms.CharField(required=False, max_length=60, label=_("职务"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
