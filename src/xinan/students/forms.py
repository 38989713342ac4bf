from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.accounts.validators import normalise_phone
from xinan.students.models import Guardian, SchoolClass, Student
from xinan.students.services.importing import MAX_BYTES
from xinan.students.services.register import class_taken, number_taken


class RegisterFilterForm(forms.Form):
    school_class = forms.ModelChoiceField(label=_("班级"), queryset=SchoolClass.objects.none(), required=False)
    q = forms.CharField(
        label=_("学号或姓名（完整）"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes
        self.fields["school_class"].empty_label = _("全部班级")


class StudentForm(forms.ModelForm):
    # Declared here: the encrypted date field's own form field passes TextField's max_length.
    birth_date = forms.DateField(
        label=_("出生日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    class Meta:
        model = Student
        fields = ["student_number", "name", "sex", "birth_date", "school_class"]

    def __init__(self, *args, school, classes, class_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["school_class"].queryset = classes
        self.fields["school_class"].required = class_required
        self.fields["student_number"].required = True
        self.fields["name"].strip = True

    def clean_student_number(self):
        number = " ".join(self.cleaned_data["student_number"].split())
        if number_taken(self.school, number, exclude_pk=self.instance.pk):
            raise ValidationError(_("本校已有学生使用该学号。"))
        return number

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            raise ValidationError(_("出生日期不能晚于今天。"))
        return birth_date


class GuardianForm(forms.ModelForm):
    class Meta:
        model = Guardian
        fields = ["relation", "name", "phone", "is_primary"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The stored number never goes into the page: the field starts empty with the
            # masked number as its hint, and left empty it keeps the stored number.
            self.initial["phone"] = ""
            self.fields["phone"].required = False
            self.fields["phone"].widget.attrs["placeholder"] = self.instance.masked_phone
            self.fields["phone"].help_text = _("留空则保留原号码；输入新号码将替换原号码。")

    def clean_phone(self):
        if not self.cleaned_data["phone"] and self.instance.pk:
            return self.instance.phone
        return normalise_phone(self.cleaned_data["phone"])


GuardianFormSet = forms.inlineformset_factory(
    Student, Guardian, form=GuardianForm, extra=1, max_num=4, validate_max=True, can_delete=True
)


class SchoolClassForm(forms.ModelForm):
    class Meta:
        model = SchoolClass
        fields = ["grade", "name", "class_teacher"]

    def __init__(self, *args, school, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["class_teacher"].queryset = staff
        self.fields["class_teacher"].label_from_instance = lambda user: f"{user.name}（{user.masked_phone}）"

    def clean(self):
        data = super().clean()
        grade, name = data.get("grade"), data.get("name")
        if grade and name and class_taken(self.school, grade, name, exclude_pk=self.instance.pk):
            raise ValidationError(_("本校已有同名的年级班级。"))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("学生名单（.xlsx）"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    check_only = forms.BooleanField(label=_("只检查，不导入"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("文件过大：最大 %(mb)s MB。请分成几个文件导入。") % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload
