from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xinan.accounts.forms import CodeLoginForm, CodeRequestForm, PasswordLoginForm, TokenForm
from xinan.accounts.services import codes, otp, passwords
from xinan.accounts.services.sessions import PENDING_KEY, PENDING_METHOD_KEY, complete_sign_in, hold_for_second_factor
from xinan.audit.enums import AuditAction
from xinan.audit.services.record import record


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _finish(request, user, method: str):
    if otp.confirmed_device(user) is not None:
        hold_for_second_factor(request, user, method=method)
        return redirect("accounts:otp")
    complete_sign_in(request, user, method=method)
    return redirect(_next_url(request))


def _login_page(request, *, tab: str, password_form=None, code_form=None, status=200):
    context = {
        "tab": tab,
        "password_form": password_form or PasswordLoginForm(),
        "code_form": code_form or CodeLoginForm(initial={"phone": request.GET.get("phone", "")}),
        "next": _next_url(request),
    }
    return render(request, "accounts/login.html", context, status=status)


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect("web:home")
    tab = "password" if request.GET.get("tab") == "password" else "code"
    if request.method == "GET":
        return _login_page(request, tab=tab)
    form = PasswordLoginForm(request.POST)
    if form.is_valid():
        try:
            user = passwords.verify_password(form.cleaned_data["phone"], form.cleaned_data["password"], request=request)
        except codes.SignInError as exc:
            form.add_error(None, exc.message)
        else:
            return _finish(request, user, "password")
    return _login_page(request, tab="password", password_form=form, status=400)


@require_POST
def send_code(request):
    """Send a sign-in code. Answers the same whether or not the phone has an account."""
    form = CodeRequestForm(request.POST)
    code_form = CodeLoginForm(initial={"phone": request.POST.get("phone", "")})
    context = {"code_form": code_form, "cooldown": 0, "next": _next_url(request)}
    status = 200
    if not form.is_valid():
        context["code_errors"] = form.errors.get("phone", [])
        status = 400
    else:
        try:
            issued = codes.request_code(form.cleaned_data["phone"], request=request)
        except codes.SignInError as exc:
            context["code_errors"] = [exc.message]
            context["cooldown"] = exc.retry_after if exc.retry_after <= 120 else 0
            status = 429
        else:
            context["code_sent"] = True
            context["cooldown"] = issued.retry_after
    if request.htmx:
        return render(request, "accounts/_code_form.html", context, status=200 if status == 429 else status)
    return render(
        request, "accounts/login.html", {**context, "tab": "code", "password_form": PasswordLoginForm()}, status=status
    )


@require_POST
def code_login(request):
    form = CodeLoginForm(request.POST)
    if form.is_valid():
        try:
            user = codes.verify_code(form.cleaned_data["phone"], form.cleaned_data["code"], request=request)
        except codes.SignInError as exc:
            form.add_error("code", exc.message)
        else:
            return _finish(request, user, "sms_code")
    return _login_page(request, tab="code", code_form=form, status=400)


@require_http_methods(["GET", "POST"])
def otp_view(request):
    user_id = request.session.get(PENDING_KEY)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        try:
            device = codes.one_attempt_at_a_time(user.phone, lambda: _verify_totp(request, user, token))
        except codes.SignInError as exc:
            form.add_error("token", exc.message)
        else:
            method = request.session.get(PENDING_METHOD_KEY, "password")
            complete_sign_in(request, user, method=f"{method}+totp", device=device)
            return redirect(_next_url(request))
    return render(request, "accounts/otp.html", {"form": form}, status=400 if form.errors else 200)


def _verify_totp(request, user, token: str):
    """The second step obeys the phone's lockout too, and a wrong token counts towards it."""
    codes.ensure_not_locked(user.phone, request=request, user=user)
    device = otp.verify(user, token, request=request)
    if device is None:
        if codes.register_failure(user.phone, request=request, user=user):
            raise codes.SignInError(_("因多次验证失败，该账号已被临时锁定，请稍后再试。"))
        raise codes.SignInError(_("动态口令错误，请重新输入。"))
    return device


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record(AuditAction.LOGOUT, request=request)
    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def security_view(request):
    user = request.user
    password_form = PasswordChangeForm(user) if user.has_usable_password() else None
    token_form = TokenForm()
    action = request.POST.get("action")
    if request.method == "POST" and action == "password" and password_form is not None:
        password_form = PasswordChangeForm(user, request.POST)
        if password_form.is_valid():
            password_form.save()
            update_session_auth_hash(request, password_form.user)
            record(AuditAction.PASSWORD_CHANGED, request=request)
            messages.success(request, _("密码已修改。"))
            return redirect("accounts:security")
    elif request.method == "POST" and action == "otp_confirm" and otp.may_use_totp(user):
        token_form = TokenForm(request.POST)
        if token_form.is_valid() and otp.confirm_device(user, token_form.cleaned_data["token"], request=request):
            messages.success(request, _("动态口令已启用，下次登录时需要输入。"))
            return redirect("accounts:security")
        if token_form.is_valid():
            token_form.add_error("token", _("动态口令错误，请核对手机时间后重新输入。"))
    elif request.method == "POST" and action == "otp_disable":
        token_form = TokenForm(request.POST)
        if token_form.is_valid() and otp.verify(user, token_form.cleaned_data["token"], request=request):
            otp.disable(user, request=request)
            messages.success(request, _("动态口令已停用。"))
            return redirect("accounts:security")
        if token_form.is_valid():
            token_form.add_error("token", _("动态口令错误，停用前需输入当前的动态口令。"))
    context = {
        "password_form": password_form,
        "token_form": token_form,
        "may_use_totp": otp.may_use_totp(user),
        "device": otp.confirmed_device(user),
    }
    if context["may_use_totp"] and context["device"] is None:
        pending = otp.pending_device(user)
        context["otp_uri"] = pending.config_url
        context["otp_qr_svg"] = _qr_svg(pending.config_url)
    return render(request, "accounts/security.html", context, status=400 if request.method == "POST" else 200)


def _qr_svg(data: str) -> str:
    import segno

    return segno.make(data, error="m").svg_inline(scale=4)
