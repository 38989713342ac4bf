"""Attacks on signing in, beyond the unit tests of tests/xinan/accounts: brute force of SMS
codes (bounded from the real settings and measured), parallel requests and several app
processes, a dead Redis, enumeration, fixation, CSRF on every form, password hashing, lockout
and the TOTP second factor."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import subprocess
import sys
import textwrap
import threading
import uuid

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp

from tests.factories import PASSWORD, UserFactory
from tests.xinan.test_deploy_check import _production_env
from xinan.accounts.models import EncryptedTOTPDevice, LoginCode, RateBucket
from xinan.accounts.services import codes, otp, passwords
from xinan.audit.models import AuditEntry
from xinan.crypto.keys import configured_keys
from xinan.notifications.models import Message

DAY = 24 * 3600
CODE_ALPHABET = 10  # digits


def _request(ip="10.0.0.1"):
    return RequestFactory().post("/accounts/login/code/", REMOTE_ADDR=ip)


def _last_code(phone: str) -> str:
    body = Message.objects.to_address(phone).filter(template="login_code").latest("pk").body
    return re.search(r"(?<!\d)\d{6}(?!\d)", body).group()


def _wrong(code: str, n: int = 1) -> str:
    return f"{(int(code) + n) % 10**6:06d}"


# --- Brute force: the bound from the settings, and an attacker measured against it ---------------
def guesses_bound(seconds: int) -> int:
    """The most code guesses one phone can take in ``seconds``, from the configured limits.

    Codes: the per-phone caps count in fixed windows of an hour and of a day, and ``seconds``
    touches at most ceil(seconds/window)+1 windows of each; a code must also wait out the
    resend interval. Each code
    takes at most LOGIN_CODE_MAX_ATTEMPTS guesses. The lockouts do not enter the bound: they lock a
    source (an attacker with many addresses has many), and the phone's own lock never stops a code
    (a right code proves the phone), so the codes alone bound the guesses.
    """
    hours = math.ceil(seconds / 3600) + 1
    days = math.ceil(seconds / DAY) + 1
    code_count = min(
        hours * settings.LOGIN_CODES_PER_PHONE_HOUR,
        days * codes.codes_per_phone_day(),
        seconds // settings.LOGIN_CODE_RESEND_SECONDS + 1,
    )
    return code_count * settings.LOGIN_CODE_MAX_ATTEMPTS


def success_probability(seconds: int) -> float:
    """Chance that an attacker guesses a code for one phone within ``seconds``: each code is
    uniform over 10^length values and the attacker tries distinct values on each."""
    space = CODE_ALPHABET**6
    guesses = guesses_bound(seconds)
    per_code = settings.LOGIN_CODE_MAX_ATTEMPTS
    whole_codes, rest = divmod(guesses, per_code)
    miss = (1 - per_code / space) ** whole_codes * (1 - rest / space)
    return 1 - miss


BOUND_PER_DAY = 2e-4


def test_brute_force_within_a_day_is_below_the_bound():
    probability = success_probability(DAY)
    # Any 24 hours touch at most two daily windows: 2 x 10 codes x 5 tries. (Without the daily
    # cap the hourly one allowed 25 x 5 codes, 625 guesses, 6.25e-04 a day: about 20 % a year.)
    assert guesses_bound(DAY) == 100
    assert probability < BOUND_PER_DAY
    assert f"{probability:.2e}" == "1.00e-04"
    assert 1 - (1 - probability) ** 365 < 0.04  # a year of a tireless attacker at one phone


def test_daily_cap_per_phone(db):
    user = UserFactory()
    with time_machine.travel(dt.datetime(2026, 5, 4, 0, 30, tzinfo=dt.UTC), tick=False) as traveller:
        issued = 0
        for _ in range(4 * 60):
            try:
                codes.request_code(user.phone, request=_request())
                issued += 1
            except codes.SignInError as exc:
                last_refusal = exc.message
            traveller.shift(dt.timedelta(seconds=61))
        assert issued == codes.codes_per_phone_day() == 10
        assert "今天获取验证码的次数已达上限" in last_refusal
        traveller.shift(dt.timedelta(hours=20, seconds=1))  # 24 hours after the first code
        codes.request_code(user.phone, request=_request())
    assert Message.objects.to_address(user.phone).count() == 11


def test_code_length_is_six_digits(db):
    user = UserFactory()
    codes.request_code(user.phone, request=_request())
    assert re.fullmatch(r"\d{6}", _last_code(user.phone))


@override_settings(LOGIN_CODES_PER_IP_HOUR=10_000)  # an attacker with many addresses
def test_attacker_never_gets_more_guesses_than_the_bound(db):
    """Three hours of a tireless attacker: a new code as soon as allowed, every try used."""
    user = UserFactory()
    hours = 3
    with time_machine.travel(dt.datetime(2026, 5, 4, 1, 0, tzinfo=dt.UTC), tick=False) as traveller:
        for _ in range(hours * 3600 // 61):
            try:
                codes.request_code(user.phone, request=_request())
            except codes.SignInError:
                traveller.shift(dt.timedelta(seconds=61))
                continue
            code = _last_code(user.phone)
            for attempt in range(1, settings.LOGIN_CODE_MAX_ATTEMPTS + 2):
                with pytest.raises(codes.SignInError):
                    codes.verify_code(user.phone, _wrong(code, attempt), request=_request())
            traveller.shift(dt.timedelta(seconds=61))
    taken = sum(LoginCode.objects.values_list("attempts", flat=True))
    assert 0 < taken <= guesses_bound(hours * 3600)
    assert AuditEntry.objects.filter(action="xinan.auth.lockout").exists()


# --- Code reuse and expiry, through the sign-in page ---------------------------------------------
def test_code_signs_in_once_then_is_dead(client, db):
    user = UserFactory()
    client.post(reverse("accounts:send_code"), {"phone": user.phone})
    code = _last_code(user.phone)
    assert client.post(reverse("accounts:code_login"), {"phone": user.phone, "code": code}).status_code == 302
    other = Client()
    again = other.post(reverse("accounts:code_login"), {"phone": user.phone, "code": code})
    assert again.status_code == 400
    assert "已使用" in again.content.decode()
    assert other.get(reverse("web:home")).status_code == 302


def test_expired_code_refused_on_the_page(client, db):
    user = UserFactory()
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        client.post(reverse("accounts:send_code"), {"phone": user.phone})
        code = _last_code(user.phone)
        traveller.shift(dt.timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS + 1))
        response = client.post(reverse("accounts:code_login"), {"phone": user.phone, "code": code})
        assert response.status_code == 400
        assert "已过期" in response.content.decode()
        assert client.get(reverse("web:home")).status_code == 302


# --- Enumeration ---------------------------------------------------------------------------------
def _page_without_token(response) -> str:
    return re.sub(r'value="[^"]{32,}"|"X-CSRFToken": "[^"]+"', "TOKEN", response.content.decode())


@pytest.mark.parametrize("htmx", [False, True])
def test_send_code_same_answer_for_known_and_unknown_phone_and_no_sms_for_unknown(db, htmx):
    known = UserFactory()
    unknown = "13599990001"
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    answers = []
    for phone in (known.phone, unknown):
        response = Client().post(reverse("accounts:send_code"), {"phone": phone}, **headers)
        answers.append((response.status_code, _page_without_token(response).replace(phone, "PHONE")))
    assert answers[0] == answers[1]
    assert Message.objects.to_address(known.phone).count() == 1
    assert not Message.objects.to_address(unknown).exists()


def test_password_sign_in_same_answer_for_wrong_password_and_unknown_phone(db):
    known = UserFactory()
    answers = []
    for phone in (known.phone, "13599990002"):
        response = Client().post(reverse("accounts:login"), {"phone": phone, "password": "wrong-password-1"})
        answers.append((response.status_code, _page_without_token(response).replace(phone, "PHONE")))
    assert answers[0] == answers[1]


# --- Session fixation ----------------------------------------------------------------------------
def _planted_session(client) -> str:
    client.get(reverse("accounts:login"))
    session = client.session
    session["planted"] = True
    session.save()
    return session.session_key


def test_code_sign_in_gives_a_new_session(client, db):
    user = UserFactory()
    planted = _planted_session(client)
    client.post(reverse("accounts:send_code"), {"phone": user.phone})
    client.post(reverse("accounts:code_login"), {"phone": user.phone, "code": _last_code(user.phone)})
    assert client.session.session_key != planted
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert attacker.get(reverse("web:home")).status_code == 302  # the planted key is worth nothing


def test_totp_sign_in_rotates_the_session_at_both_steps(client, world):
    admin = world.national_admin
    device = otp.pending_device(admin)
    assert otp.confirm_device(admin, _token(device))
    planted = _planted_session(client)
    client.post(reverse("accounts:login"), {"phone": admin.phone, "password": PASSWORD})
    pending = client.session.session_key
    assert pending != planted
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31), tick=False):
        assert client.post(reverse("accounts:otp"), {"token": _token(device)}).status_code == 302
    assert client.session.session_key not in {planted, pending}


# --- CSRF on every form --------------------------------------------------------------------------
SAMPLE_VALUES = {"int": "1", "str": "x", "slug": "x", "uuid": str(uuid.uuid4()), "path": "x"}


def _every_route(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _every_route(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _sample_path(route: str) -> str:
    return "/" + re.sub(r"<(\w+):\w+>", lambda match: SAMPLE_VALUES[match.group(1)], route)


def test_no_view_is_exempt_from_csrf():
    routes = list(_every_route())
    assert len(routes) > 100
    exempt = [route for route, entry in routes if getattr(entry.callback, "csrf_exempt", False)]
    assert exempt == []


def test_every_post_without_a_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.national_admin)
    refused, other = 0, []
    for route, _entry in _every_route():
        path = _sample_path(route)
        for headers in ({}, {"HTTP_HX_REQUEST": "true", "HTTP_X_CSRFTOKEN": "forged-token-" + "x" * 20}):
            response = client.post(path, {"anything": "1"}, **headers)
            if response.status_code == 403 and "页面已过期" in response.content.decode():
                refused += 1
            else:
                other.append((path, response.status_code))
    assert other == []
    assert refused == 2 * len(list(_every_route()))


def test_a_post_with_the_token_gets_through(client, world):
    """The refusals above are the missing token, not a view that refuses every POST."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff_a)
    client.get(reverse("web:home"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


# --- Passwords -----------------------------------------------------------------------------------
def test_production_settings_hash_with_argon2_and_ask_for_long_passwords(tmp_path):
    code = textwrap.dedent(
        """
        import json, os
        os.environ["DJANGO_SETTINGS_MODULE"] = "xinan.settings"
        from django.conf import settings
        print(json.dumps({"hashers": settings.PASSWORD_HASHERS, "validators": settings.AUTH_PASSWORD_VALIDATORS}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=_production_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = json.loads(result.stdout)
    assert loaded["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    names = {validator["NAME"].rsplit(".", 1)[-1]: validator.get("OPTIONS", {}) for validator in loaded["validators"]}
    assert names["MinimumLengthValidator"]["min_length"] >= 10
    assert {"CommonPasswordValidator", "NumericPasswordValidator", "UserAttributeSimilarityValidator"} <= set(names)


@pytest.mark.parametrize("weak", ["short1", "1234567890123", "password123", "qwertyuiop"])
def test_weak_new_password_refused(client, db, weak):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:security"),
        {"action": "password", "old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert user.password.startswith("argon2")


# --- Lockout and its release, through the page ----------------------------------------------------
@override_settings(LOGIN_FAILURES_BEFORE_LOCKOUT=4, LOGIN_LOCKOUT_MINUTES=15)
def test_password_lockout_refuses_even_the_right_password_then_releases(client, db):
    user = UserFactory()
    login = reverse("accounts:login")
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        for _ in range(4):
            client.post(login, {"phone": user.phone, "password": "wrong-password-1"})
        locked = client.post(login, {"phone": user.phone, "password": PASSWORD})
        assert locked.status_code == 400
        assert "临时锁定" in locked.content.decode()
        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        assert client.post(login, {"phone": user.phone, "password": PASSWORD}).status_code == 302


def test_unlock_after_a_good_sign_in_reports_nothing_to_release(client, world):
    """Sign-in attempts hold a counter row even when they succeed; that is not a lock."""
    assert (
        client.post(reverse("accounts:login"), {"phone": world.staff_a.phone, "password": PASSWORD}).status_code == 302
    )
    assert not codes.release_lock(world.staff_a.phone, by=world.national_admin)
    assert not AuditEntry.objects.filter(action="xinan.auth.unlock").exists()


# --- TOTP for admins -------------------------------------------------------------------------------
def _token(device: EncryptedTOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_totp_token_cannot_be_replayed(world):
    admin = world.national_admin
    device = otp.pending_device(admin)
    assert otp.confirm_device(admin, _token(device))
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31), tick=False):
        token = _token(EncryptedTOTPDevice.objects.get(pk=device.pk))
        assert otp.verify(admin, token) is not None
        assert otp.verify(admin, token) is None  # the same token a second time


@override_settings(LOGIN_FAILURES_BEFORE_LOCKOUT=3)
def test_wrong_totp_tokens_count_towards_the_lockout(client, world):
    admin = world.national_admin
    device = otp.pending_device(admin)
    assert otp.confirm_device(admin, _token(device))
    client.post(reverse("accounts:login"), {"phone": admin.phone, "password": PASSWORD})
    right = _token(device)
    for n in range(3):
        client.post(reverse("accounts:otp"), {"token": _wrong(right, n + 1)})
    assert AuditEntry.objects.filter(action="xinan.auth.lockout").count() == 1
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31), tick=False):
        locked = client.post(reverse("accounts:otp"), {"token": _token(device)})  # the right token
    assert locked.status_code == 400
    assert "临时锁定" in locked.content.decode()
    assert client.get(reverse("web:home")).status_code == 302


def test_non_admin_cannot_enrol_a_totp_device_by_posting(client, world):
    client.force_login(world.staff_a)
    client.post(reverse("accounts:security"), {"action": "otp_confirm", "token": "123456"})
    assert not EncryptedTOTPDevice.objects.filter(user=world.staff_a).exists()


# --- Limits live in the database, not in a process's memory -----------------------------------------
@override_settings(LOGIN_FAILURES_BEFORE_LOCKOUT=3)
def test_limits_survive_an_empty_cache(db):
    """Clearing the cache (a restart, another app server) releases nothing."""
    user = UserFactory()
    for _ in range(3):
        with pytest.raises(codes.SignInError):
            passwords.verify_password(user.phone, "wrong-password-1", request=_request())
    cache.clear()
    with pytest.raises(codes.SignInError, match="临时锁定"):
        passwords.verify_password(user.phone, PASSWORD, request=_request())
    assert RateBucket.objects.filter(locked_until__isnull=False).count() == 1


REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@override_settings(CACHES=REDIS_DOWN, LOGIN_FAILURES_BEFORE_LOCKOUT=3)
def test_sign_in_throttling_holds_with_redis_down(client, db):
    from redis.exceptions import ConnectionError as RedisConnectionError

    with pytest.raises(RedisConnectionError):
        cache.set("probe", 1)  # the cache really is unreachable
    user = UserFactory()
    login = reverse("accounts:login")
    statuses = [client.post(login, {"phone": user.phone, "password": "wrong-password-1"}).status_code for _ in range(3)]
    assert statuses == [400, 400, 400]
    refused = client.post(login, {"phone": user.phone, "password": PASSWORD})
    assert refused.status_code == 400  # refused, not a 500 and not let through
    assert "临时锁定" in refused.content.decode()
    sent = client.post(reverse("accounts:send_code"), {"phone": user.phone})
    assert sent.status_code == 429
    assert "临时锁定" in sent.content.decode()
    assert client.get(reverse("web:home")).status_code == 302


# --- Parallel requests and several processes (PostgreSQL) --------------------------------------------
def _in_parallel(n: int, action) -> list:
    from django.db import connection

    barrier = threading.Barrier(n)
    outcomes: list = []

    def run():
        barrier.wait()
        try:
            outcomes.append(action())
        except codes.SignInError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_never_exceed_the_tries_of_a_code():
    user = UserFactory()
    codes.request_code(user.phone, request=_request())
    code = _last_code(user.phone)
    counter = iter(range(1, 100))
    lock = threading.Lock()

    def guess():
        with lock:
            wrong = _wrong(code, next(counter))
        return codes.verify_code(user.phone, wrong, request=_request())

    outcomes = _in_parallel(12, guess)
    assert len(outcomes) == 12
    assert LoginCode.objects.get().attempts == settings.LOGIN_CODE_MAX_ATTEMPTS
    assert sum("还可以再试" in outcome for outcome in outcomes) <= settings.LOGIN_CODE_MAX_ATTEMPTS - 1
    with pytest.raises(codes.SignInError):
        codes.verify_code(user.phone, code, request=_request())  # used up, even the right code


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_code_requests_send_one_sms():
    user = UserFactory()
    outcomes = _in_parallel(8, lambda: codes.request_code(user.phone, request=_request()))
    assert sum(isinstance(outcome, codes.CodeIssued) for outcome in outcomes) == 1
    assert Message.objects.to_address(user.phone).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_FAILURES_BEFORE_LOCKOUT=5)
def test_parallel_password_failures_lock_exactly_once():
    user = UserFactory()
    outcomes = _in_parallel(10, lambda: passwords.verify_password(user.phone, "wrong-password-1", request=_request()))
    assert sum(outcome == "手机号或密码错误。" for outcome in outcomes) == 4  # then locked, for every thread
    assert AuditEntry.objects.filter(action="xinan.auth.lockout").count() == 1
    with pytest.raises(codes.SignInError, match="临时锁定"):
        passwords.verify_password(user.phone, PASSWORD, request=_request())


ATTACKER = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
import django
django.setup()
from django.test import RequestFactory
from xinan.accounts.services import codes, passwords
outcomes = []
for _ in range(int(sys.argv[2])):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.7.0.%s" % (os.getpid() % 250))
    try:
        passwords.verify_password(sys.argv[1], "wrong-password-1", request=request)
    except codes.SignInError as exc:
        outcomes.append(exc.message)
print(json.dumps(outcomes, ensure_ascii=False))
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_FAILURES_BEFORE_PHONE_LOCKOUT=10)
def test_two_app_processes_share_the_lockout():
    """Two separate processes (own interpreter, own connections, own caches, own addresses)
    attack one phone: together they get no more failures than the phone's own limit."""
    user = UserFactory()
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "XINAN_ENCRYPTION_KEYS": ",".join(key.decode() for key in configured_keys()),
        "XINAN_LOGIN_FAILURES_BEFORE_LOCKOUT": str(settings.LOGIN_FAILURES_BEFORE_LOCKOUT),
        # Each process is its own source: what they share is the phone's own count.
        "XINAN_LOGIN_FAILURES_BEFORE_PHONE_LOCKOUT": str(settings.LOGIN_FAILURES_BEFORE_LOCKOUT),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    each = settings.LOGIN_FAILURES_BEFORE_LOCKOUT
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", ATTACKER, user.phone, str(each)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    finished = []
    try:
        for run in runs:
            finished.append((*run.communicate(timeout=120), run.returncode))
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
                run.communicate()
    outcomes = []
    for out, err, returncode in finished:
        assert returncode == 0, err[-2000:]
        outcomes += json.loads(out.strip().splitlines()[-1])
    assert len(outcomes) == 2 * each
    assert sum(outcome == "手机号或密码错误。" for outcome in outcomes) == each - 1
    assert AuditEntry.objects.filter(action="xinan.auth.lockout").count() == 1
    with pytest.raises(codes.SignInError, match="临时锁定"):
        passwords.verify_password(user.phone, PASSWORD, request=_request())
