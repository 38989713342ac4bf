from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from xinan.notifications.enums import URGENT_KINDS, Channel, MessageStatus, NoticeKind, Platform

digits = RegexValidator(r"^[0-9]{1,20}$", _("AgentId 只能是数字。"))
key_text = RegexValidator(r"^[0-9A-Za-z_\-]{1,64}$", _("只能包含字母、数字、下划线和连字符。"))


class NoticeChannelsForm(forms.Form):
    """One choice per kind of notice, among the channels the person's organisations offer."""

    def __init__(self, *args, channels: list[str], initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Channel.choices)
        for kind in NoticeKind:
            help_text = _("紧急提醒始终同时发送短信。") if kind in URGENT_KINDS else ""
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=[(channel, labels[channel]) for channel in channels],
                initial=initial_choices.get(kind.value, Channel.SMS),
                help_text=help_text,
                error_messages={"invalid_choice": _("所选渠道不可用，请重新选择。")},
            )


class ChannelAccountForm(forms.Form):
    """A school's application and group robot on one platform. Secrets are never shown again:
    left empty, the stored value is kept."""

    app_key = forms.CharField(label=_("企业ID / AppKey"), max_length=64, required=False, validators=[key_text])
    agent_id = forms.CharField(label=_("应用 AgentId"), max_length=20, required=False, validators=[digits])
    app_secret = forms.CharField(
        label=_("应用 Secret"),
        max_length=128,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("留空则保留已保存的 Secret。"),
    )
    robot_key = forms.CharField(
        label=_("群机器人 Key / access_token"),
        max_length=128,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        validators=[key_text],
        help_text=_("企业微信填写 Webhook 地址中 key= 后的部分；钉钉填写 access_token= 后的部分。留空则保留。"),
    )
    robot_secret = forms.CharField(
        label=_("钉钉机器人加签密钥"),
        max_length=128,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("仅钉钉：安全设置选择“加签”时显示的 SEC 开头的密钥。留空则保留。"),
    )
    clear_robot = forms.BooleanField(label=_("删除群机器人"), required=False)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    is_default = forms.BooleanField(label=_("作为本校默认通知渠道"), required=False)

    def __init__(self, *args, platform: str, **kwargs):
        super().__init__(*args, **kwargs)
        if platform != Platform.DINGTALK:
            del self.fields["robot_secret"]

    def clean(self):
        data = super().clean()
        if data.get("app_key") and not data.get("agent_id"):
            self.add_error("agent_id", _("填写了企业ID/AppKey 时需同时填写 AgentId。"))
        return data


class OutboxFilterForm(forms.Form):
    channel = forms.ChoiceField(required=False, choices=[("", _("全部渠道")), *Channel.choices], label=_("渠道"))
    status = forms.ChoiceField(required=False, choices=[("", _("全部状态")), *MessageStatus.choices], label=_("状态"))


class RecallForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200)
