"""Forms for the work recorded on a case: follow-ups, consultations, plans, guardian contact,
referral, status events, aftercare, disclosures, the safety plan, counselling notes, members."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.cases.enums import ContactChannel, GuardianResponse, StatusEventKind
from xinan.cases.models.safety import SAFETY_PLAN_STEPS
from xinan.cases.services.queries import staff_of_case_school
from xinan.cases.services.records import member_role_choices_for
from xinan.organisations.enums import Role
from xinan.students.models import Guardian

# Entries are recorded soon after the fact; a little slack covers clocks that differ.
FUTURE_SLACK = dt.timedelta(minutes=10)
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class TextAreaField(forms.CharField):
    """Free text with browser line breaks (CR LF) stored as plain LF, so versions compare cleanly."""

    def to_python(self, value):
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


def _text(label, *, max_length: int, rows: int = 3, required: bool = True, **kwargs) -> forms.CharField:
    return TextAreaField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class PastDateTimeField(forms.DateTimeField):
    """A moment that has already happened: a contact, a meeting, a diagnosis received."""

    def __init__(self, label, **kwargs):
        kwargs.setdefault("initial", _now_minute)
        super().__init__(label=label, widget=DATETIME_WIDGET, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and value > timezone.now() + FUTURE_SLACK:
            raise forms.ValidationError(_("时间不能晚于现在。"), code="future")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


MAX_ID = 2**63 - 1


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name

    def _check_values(self, value):
        # A number beyond any database id is no one's: refused like any unknown choice (the
        # "__in" query Django builds would otherwise overflow on SQLite).
        for pk in value:
            try:
                too_large = abs(int(str(pk))) > MAX_ID
            except ValueError:
                continue
            if too_large:
                message = self.error_messages["invalid_choice"]
                raise ValidationError(message, code="invalid_choice", params={"value": pk})
        return super()._check_values(value)


class GuardianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_relation_display()} {obj.name}（{obj.masked_phone}）"


def guardians_of(case):
    if not case.student_id:
        return Guardian.objects.none()
    return Guardian.objects.filter(student_id=case.student_id)


def preselect_registered_guardian(form) -> None:
    """A new form starts on the registered guardian (the primary one first), not on "not registered"."""
    if not form.is_bound and form.initial.get("guardian") is None:
        first = form.fields["guardian"].queryset.order_by("-is_primary", "pk").first()
        if first is not None:
            form.fields["guardian"].initial = first.pk


class FollowUpForm(forms.Form):
    at = PastDateTimeField(_("回访时间"))
    channel = forms.ChoiceField(label=_("方式"), choices=ContactChannel.choices, initial=ContactChannel.IN_PERSON)
    note = _text(_("情况记录"), max_length=5000, rows=4)
    concern = forms.BooleanField(
        label=_("发现新的风险迹象（将通知组长）"), required=False, help_text=_("如学生谈到轻生、出现自伤迹象等。")
    )


class ConsultationForm(forms.Form):
    held_at = PastDateTimeField(_("会商时间"))
    attendees = PeopleChoiceField(label=_("参会人员（本校教职工）"), queryset=None, widget=forms.CheckboxSelectMultiple)
    other_attendees = forms.CharField(
        label=_("其他参会人员"), max_length=200, required=False, help_text=_("如校外专家、家长代表，写明身份即可。")
    )
    decisions = _text(_("会商决定"), max_length=5000, rows=5)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = staff_of_case_school(case)


class PlanForm(forms.Form):
    targets = _text(_("干预对象与目标"), max_length=2000)
    methods = _text(_("干预方法"), max_length=5000, rows=4, required=False)


class GuardianContactForm(forms.Form):
    guardian = GuardianChoiceField(label=_("监护人"), queryset=None, required=False, empty_label=_("（未登记，手写）"))
    guardian_text = forms.CharField(label=_("监护人（未登记时填写，如“父亲”“外婆”）"), max_length=40, required=False)
    at = PastDateTimeField(_("沟通时间"))
    channel = forms.ChoiceField(label=_("方式"), choices=ContactChannel.choices, initial=ContactChannel.PHONE)
    said = _text(_("沟通内容（学校告知了什么）"), max_length=5000, rows=4)
    response = forms.ChoiceField(label=_("监护人回应"), choices=GuardianResponse.choices, widget=forms.RadioSelect)
    guardian_words = _text(
        _("监护人原话（拒绝或不配合时必填）"),
        max_length=2000,
        rows=3,
        required=False,
        help_text=_("尽量按原话记录，这是监护人责任的依据。"),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = guardians_of(case)
        preselect_registered_guardian(self)

    def clean(self):
        data = super().clean()
        if not data.get("guardian") and not (data.get("guardian_text") or "").strip():
            raise forms.ValidationError(_("请选择监护人，或写下与学生的关系。"))
        return data


class ReferralForm(forms.Form):
    agency = forms.CharField(label=_("转介机构"), max_length=120, help_text=_("如某市精神卫生中心、某医院"))
    department = forms.CharField(label=_("科室"), max_length=60, required=False, help_text=_("如心理科、精神科"))
    reason = _text(_("转介理由"), max_length=2000)


class DiagnosisForm(forms.Form):
    received_at = PastDateTimeField(_("收到诊断时间"))
    diagnosis = _text(_("诊断结果"), max_length=5000)
    advice = _text(_("机构建议（学校需配合的事项）"), max_length=5000, required=False)


class StatusEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=StatusEventKind.choices)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    ends_on = forms.DateField(label=_("结束日期（如有）"), widget=DATE_WIDGET, required=False)
    note = _text(_("说明"), max_length=2000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class AftercareForm(forms.Form):
    plan = _text(_("后续帮助方案（依据医院检查结果商定）"), max_length=5000, rows=5)
    follow_up_every_days = forms.IntegerField(label=_("回访间隔（天）"), min_value=1, max_value=90, initial=7)
    until = forms.DateField(label=_("跟踪至"), widget=DATE_WIDGET)


class DisclosureForm(forms.Form):
    told_whom = forms.CharField(label=_("告知对象"), max_length=120, help_text=_("如监护人、医院急诊、公安"))
    what = _text(_("告知内容"), max_length=2000)
    why = forms.CharField(label=_("理由（保密例外的依据）"), max_length=300, help_text=_("如学生有明确的自杀计划"))


class ConfirmForm(forms.Form):
    """An explicit tick for acts that need one (paper signed and filed, removing a member)."""

    confirm = forms.BooleanField(label=_("我确认"), error_messages={"required": _("请勾选确认。")})

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["confirm"].label = label


class TaskDoneForm(ConfirmForm):
    """Completing a task; an escalation also says how it was dealt with."""

    field_order = ["note", "confirm"]

    note = TextAreaField(
        label=_("处理说明"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明如何处理，会记入处理经过和危机干预记录表。"),
    )

    def __init__(self, *args, note_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        self.fields["note"].error_messages["required"] = _("请写明处理情况。")
        if not note_required:
            self.fields["note"].label = _("处理说明（可选）")


class SafetyPlanForm(forms.Form):
    review_on = forms.DateField(label=_("复查日期"), widget=DATE_WIDGET)

    PROMPTS = {
        "warning_signs": _("什么样的想法、画面、心情或事情，说明危机可能要来了？"),
        "coping": _("不联系别人时，我自己可以做些什么让自己好受一点？（如运动、听音乐）"),
        "distractions": _("哪些人和地方能让我暂时转移注意力？"),
        "helpers": _("我可以向谁求助？写下名字和电话。"),
        "professionals": _("学校值班心理老师、医院、心理援助热线。"),
        "environment": _("如何让身边的环境更安全？（如药品、刀具交给家长保管）"),
        "reasons_for_living": _("对我最重要、让我想活下去的是什么？"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        steps = {}
        for name, label in SAFETY_PLAN_STEPS:
            steps[name] = _text(
                label,
                max_length=2000,
                rows=4,
                required=name != "reasons_for_living",
                help_text=self.PROMPTS[name],
            )
        # The six steps first, the review date last, as the form is filled in with the student.
        self.fields = {**steps, "review_on": self.fields["review_on"]}

    def clean_review_on(self):
        value = self.cleaned_data["review_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("复查日期应晚于今天。"))
        if value > timezone.localdate() + dt.timedelta(days=180):
            raise forms.ValidationError(_("复查日期不宜晚于半年之后。"))
        return value

    def steps(self) -> dict:
        return {name: self.cleaned_data[name] for name, _label in SAFETY_PLAN_STEPS}


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("较早版本"), coerce=int, choices=())
    b = forms.TypedChoiceField(label=_("较新版本"), coerce=int, choices=())

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v, _("第 %(v)s 版") % {"v": v}) for v in versions]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("a") is not None and data.get("a") == data.get("b"):
            raise forms.ValidationError(_("请选择两个不同的版本。"))
        return data


class GuardianAgreementForm(forms.Form):
    guardian = GuardianChoiceField(
        label=_("签署协议的监护人"),
        queryset=None,
        required=False,
        empty_label=_("（未登记）"),
        error_messages={"required": _("请选择签署协议的监护人。")},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        guardians = guardians_of(case)
        self.fields["guardian"].queryset = guardians
        # Only a student without registered guardians gets an agreement for an unnamed guardian.
        self.fields["guardian"].required = guardians.exists()


class CounsellingNoteForm(forms.Form):
    text = _text(_("咨询记录"), max_length=10000, rows=8, help_text=_("仅心理咨询人员可见。"))


class ShareExcerptForm(forms.Form):
    excerpt = _text(
        _("共享的摘录"),
        max_length=2000,
        rows=4,
        help_text=_("从上面的记录中复制团队需要知道的原文，只摘录必要的部分。"),
    )
    reason = forms.CharField(label=_("共享理由"), min_length=5, max_length=300)


class AssignCounsellorForm(forms.Form):
    counsellor = PersonChoiceField(label=_("负责心理老师"), queryset=None)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = staff_of_case_school(case, roles={Role.COUNSELLOR})


class AddMemberForm(forms.Form):
    user = PersonChoiceField(label=_("人员（本校教职工）"), queryset=None)
    role = forms.ChoiceField(label=_("在本案中的角色"), choices=())

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_of_case_school(case)
        self.fields["role"].choices = member_role_choices_for(case)


class LinkStudentForm(forms.Form):
    """Pick the register entry a free-text case is about, among exact matches of a search."""

    student = forms.TypedChoiceField(
        label=_("学籍中的学生"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请先查找并选择学生。"), "invalid_choice": _("请从查找结果中选择学生。")},
    )
    confirm = forms.BooleanField(
        label=_("我已核对：报告中所写的学生就是所选学生"), error_messages={"required": _("请勾选确认。")}
    )

    def __init__(self, *args, matches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.matches = {student.pk: student for student in matches}
        self.fields["student"].choices = [
            (student.pk, f"{student.name} · {student.school_class or _('未分班')}") for student in matches
        ]

    def clean_student(self):
        return self.matches[self.cleaned_data["student"]]
