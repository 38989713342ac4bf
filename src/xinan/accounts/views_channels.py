"""Notice channels: a person's choice per kind of notice (their account page), and a
school's 企业微信/钉钉 accounts (the system administrator)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinan.accounts.forms_channels import ChannelAccountForm, NoticeChannelsForm, OutboxFilterForm, RecallForm
from xinan.accounts.services.queries import messages_for_user, scope_organisations
from xinan.notifications.enums import Platform
from xinan.notifications.models import ChannelAccount
from xinan.notifications.services import channels, outbox
from xinan.notifications.services.routing import chosen_channels
from xinan.organisations.enums import OrgKind, Role
from xinan.web.access import get_for_user_or_404, require_perm

PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
@login_required
def my_channels(request):
    form = NoticeChannelsForm(
        request.POST or None,
        channels=channels.available_channels(request.user),
        initial_choices=chosen_channels(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            channels.set_notice_preferences(request.user, form.cleaned_data, request=request)
        except channels.ChannelSettingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("通知渠道已保存。"))
            return redirect("accounts:channels")
    status = 400 if form.errors else 200
    return render(request, "accounts/channels.html", {"form": form}, status=status)


def _schools(user):
    return scope_organisations(user, Role.SYSTEM_ADMIN).filter(kind=OrgKind.SCHOOL)


@require_GET
@login_required
def channel_accounts(request):
    require_perm(request, "accounts.view_channel_accounts")
    page = Paginator(_schools(request.user).only("pk", "name", "path"), PAGE_SIZE).get_page(request.GET.get("page"))
    accounts = ChannelAccount.objects.filter(organisation__in=list(page))
    by_school: dict[int, dict[str, ChannelAccount]] = {}
    for account in accounts:
        by_school.setdefault(account.organisation_id, {})[account.platform] = account
    rows = [(school, by_school.get(school.pk, {})) for school in page]
    return render(request, "accounts/admin_channels.html", {"page": page, "rows": rows, "platforms": Platform})


@require_http_methods(["GET", "POST"])
@login_required
def channel_account_edit(request, pk: int, platform: str):
    if platform not in Platform.values:
        raise Http404
    school = get_for_user_or_404(request, "accounts.change_channel_account", _schools(request.user), pk=pk)
    account = ChannelAccount.objects.filter(organisation=school, platform=platform).first()
    initial = {"active": True}
    if account is not None:
        initial = {
            "app_key": account.app_key,
            "agent_id": account.agent_id,
            "active": account.active,
            "is_default": account.is_default,
        }
    form = ChannelAccountForm(request.POST or None, initial=initial, platform=platform)
    if request.method == "POST" and form.is_valid():
        try:
            channels.set_channel_account(school, platform, **form.cleaned_data, by=request.user, request=request)
        except channels.ChannelSettingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("accounts:admin_channels")
    context = {"form": form, "school": school, "platform": Platform(platform), "account": account}
    return render(request, "accounts/admin_channel_form.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def outbox_list(request):
    """Every message to the people in scope: channel, status, delivery and reason — never the text."""
    require_perm(request, "accounts.view_outbox")
    form = OutboxFilterForm(request.GET or None)
    found = messages_for_user(request.user).defer("body", "html_body", "params", "to_address")
    if form.is_bound and form.is_valid():
        if form.cleaned_data["channel"]:
            found = found.filter(channel=form.cleaned_data["channel"])
        if form.cleaned_data["status"]:
            found = found.filter(status=form.cleaned_data["status"])
    elif form.is_bound:
        found = found.none()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "recall_form": RecallForm()}
    return render(request, "accounts/admin_outbox.html", context, status=400 if form.is_bound and form.errors else 200)


@require_POST
@login_required
def outbox_recall(request, pk: int):
    message = get_for_user_or_404(request, "accounts.view_outbox", messages_for_user(request.user), pk=pk)
    form = RecallForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤回原因。"))
    elif outbox.recall(message, by=request.user, reason=form.cleaned_data["reason"], request=request):
        messages.success(request, _("消息已撤回。"))
    else:
        messages.error(request, _("无法撤回：只有24小时内经企业微信发出的消息可以撤回。"))
    return redirect("accounts:admin_outbox")
