from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinan.reviews.enums import SCORE_MAX, SCORE_MIN, Decision
from xinan.reviews.services.reviewing import MAX_COMMENT


class OpenRoundForm(forms.Form):
    blind_to_authors = forms.BooleanField(label=_("匿名评审（专家看不到作者和联系方式）"), required=False, initial=True)
    reviews_per_submission = forms.IntegerField(
        label=_("每个案例的评审专家人数"),
        min_value=1,
        max_value=9,
        initial=3,
        error_messages={"invalid": _("请填写 1 到 9 之间的整数。")},
    )


class ReviewForm(forms.Form):
    """One whole-number score per rubric criterion, and a comment."""

    comment = forms.CharField(
        label=_("评审意见"), widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_COMMENT, required=False
    )

    def __init__(self, *args, rubric=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = list(rubric)
        scores = {}
        for index, item in enumerate(self.rubric):
            scores[f"score_{index}"] = forms.IntegerField(
                label=_("%(name)s（权重 %(weight)s）") % {"name": item["name"], "weight": item.get("weight", 0)},
                min_value=SCORE_MIN,
                max_value=SCORE_MAX,
                error_messages={
                    "required": _("请为这一项打分。"),
                    "invalid": _("请填写 0 到 100 之间的整数。"),
                    "min_value": _("得分不能低于 0。"),
                    "max_value": _("得分不能高于 100。"),
                },
                widget=forms.NumberInput(attrs={"min": SCORE_MIN, "max": SCORE_MAX, "inputmode": "numeric"}),
            )
        # The scores come first, the comment last.
        self.fields = {**scores, "comment": self.fields["comment"]}

    def scores(self) -> dict[str, int]:
        return {item["name"]: self.cleaned_data[f"score_{index}"] for index, item in enumerate(self.rubric)}


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("回避原因"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("回避原因（选填）")}),
    )


class AssignForm(forms.Form):
    submission = forms.ModelChoiceField(
        label=_("案例"), queryset=None, error_messages={"invalid_choice": _("请选择本轮评审中的案例。")}
    )
    reviewer = forms.ModelChoiceField(
        label=_("评审专家"), queryset=None, error_messages={"invalid_choice": _("请选择本轮评审的专家。")}
    )

    def __init__(self, *args, submissions, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].queryset = submissions
        self.fields["submission"].label_from_instance = lambda s: s.title or f"#{s.pk}"
        self.fields["reviewer"].queryset = reviewers
        # With the unit: the officer must see whose expert they assign (two experts can share a name).
        self.fields["reviewer"].label_from_instance = lambda u: f"{u.name}（{u.unit}）" if u.unit else u.name


class StageForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("决定"), choices=Decision.choices, error_messages={"invalid_choice": _("请选择审核决定。")}
    )
    reason = forms.CharField(label=_("原因"), max_length=500, required=False)
