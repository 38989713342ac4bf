"""企业微信 (WeCom): an application message to one person, and the group robot.

Written to the documented server API (qyapi.weixin.qq.com) with the standard
library; tested against a stand-in on loopback. What the platform documents and
this client honours:

- ``gettoken`` gives an access token for 7200 s: cached per application until
  5 minutes before it ends, fetched again at once when a call answers 40014
  (invalid token) or 42001 (expired), and the call repeated once.
- ``user/getuserid`` turns a mobile number into the member's userid: cached a
  day, a miss too (46004/60111), so an unknown number is not asked again; and
  when more than 15 % of a day's lookups missed, lookups pause for the day —
  the platform blocks an application whose lookups are more than 20 % invalid.
- ``message/send``: at most 30 messages a minute to one member from one
  application, beyond which the platform drops them silently — honoured by
  deferring; ``safe=1`` (a confidential message, not forwardable, watermarked)
  for anything about a case; a member in ``invaliduser`` fails the message.
- ``message/recall`` within 24 hours of sending.
- the group robot (``webhook/send``): at most 20 messages a minute per robot,
  honoured by deferring; 45009 (over the limit anyway) defers a minute.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from xinan.notifications.backends.base import Backend, Deferred, DeliveryError
from xinan.notifications.backends.http import call_json, checked_base, errcode, refusal, token_cache_key
from xinan.notifications.backends.limits import wait_for_slot
from xinan.notifications.enums import ROBOT_PING_TEMPLATE

DEFAULT_ENDPOINT = "https://qyapi.weixin.qq.com"
TOKEN_EXPIRED = {40014, 42001}
RATE_LIMITED = {45009, 45033}
USER_NOT_FOUND = {46004, 60111}
PER_PERSON_PER_MINUTE = 30
ROBOT_PER_MINUTE = 20
RECALL_WITHIN = dt.timedelta(hours=24)
USERID_CACHE_SECONDS = 24 * 3600
# Pause lookups before the platform's 20 % invalid-number rule is reached.
LOOKUP_MISS_CEILING = 0.15
LOOKUP_MIN_SAMPLE = 20


def base_url() -> str:
    return checked_base(settings.WECOM_ENDPOINT or DEFAULT_ENDPOINT, "XINAN_WECOM_ENDPOINT")


def _refusal(answer: dict) -> DeliveryError:
    return refusal(answer, platform="wecom", rate_limited=RATE_LIMITED)


class WecomClient:
    """One school's 企业微信 application: token, lookups and calls."""

    def __init__(self, account):
        if account is None or not account.has_app:
            raise DeliveryError("no_channel_account", "企业微信 application not configured")
        self.account, self.base = account, base_url()
        self.token_key = token_cache_key("wecom", account)

    def token(self, *, fresh: bool = False) -> str:
        if not fresh:
            cached = cache.get(self.token_key)
            if cached:
                return cached
        answer = call_json(
            f"{self.base}/cgi-bin/gettoken",
            query={"corpid": self.account.app_key, "corpsecret": self.account.app_secret},
        )
        if errcode(answer) != 0 or not answer.get("access_token"):
            raise _refusal(answer)
        lifetime = int(answer.get("expires_in", 7200))
        cache.set(self.token_key, answer["access_token"], timeout=max(60, lifetime - 300))
        return answer["access_token"]

    def call(self, path: str, body: dict) -> dict:
        token = self.token()
        answer = call_json(f"{self.base}{path}", query={"access_token": token}, body=body)
        if errcode(answer) in TOKEN_EXPIRED:
            cache.delete(self.token_key)
            answer = call_json(f"{self.base}{path}", query={"access_token": self.token(fresh=True)}, body=body)
        if errcode(answer) != 0:
            raise _refusal(answer)
        return answer

    def userid(self, message) -> str:
        """The member with the message's phone (found by its blind index in the cache, never the number)."""
        key = f"wecom:userid:{self.account.pk}:{message.to_index}"
        cached = cache.get(key)
        if cached is not None:
            if not cached:
                raise DeliveryError("invalid_user", "no 企业微信 member has this phone")
            return cached
        day = timezone.localdate().isoformat()
        lookups_key, misses_key = f"wecom:lookups:{self.account.pk}:{day}", f"wecom:misses:{self.account.pk}:{day}"
        lookups, misses = cache.get(lookups_key, 0), cache.get(misses_key, 0)
        if lookups >= LOOKUP_MIN_SAMPLE and misses / lookups > LOOKUP_MISS_CEILING:
            raise DeliveryError("lookup_paused", "too many unknown phones today")
        _count(lookups_key)
        try:
            answer = self.call("/cgi-bin/user/getuserid", {"mobile": message.to_address})
        except Deferred:
            raise
        except DeliveryError as exc:
            if exc.code.removeprefix("wecom_").isdigit() and int(exc.code.removeprefix("wecom_")) in USER_NOT_FOUND:
                _count(misses_key)
                cache.set(key, "", timeout=USERID_CACHE_SECONDS)
                raise DeliveryError("invalid_user", "no 企业微信 member has this phone") from exc
            raise
        userid = str(answer.get("userid", ""))
        cache.set(key, userid, timeout=USERID_CACHE_SECONDS)
        return userid


def _count(key: str) -> None:
    cache.add(key, 0, timeout=2 * 24 * 3600)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=2 * 24 * 3600)


class WecomAppBackend(Backend):
    """An application message (text) to one member, found by phone."""

    name = "wecom"

    def send(self, message) -> str:
        from xinan.notifications.models import Message

        wait_for_slot(
            Message.objects.filter(channel=message.channel, account=message.account, to_index=message.to_index),
            limit=PER_PERSON_PER_MINUTE,
            window=dt.timedelta(minutes=1),
            code="wecom_person_limit",
        )
        client = WecomClient(message.account)
        userid = client.userid(message)
        answer = client.call(
            "/cgi-bin/message/send",
            {
                "touser": userid,
                "msgtype": "text",
                "agentid": int(message.account.agent_id),
                "text": {"content": message.body},
                "safe": 1 if message.confidential else 0,
            },
        )
        if userid in str(answer.get("invaliduser", "")).split("|"):
            raise DeliveryError("invalid_user", "the member cannot receive messages of this application")
        if userid in str(answer.get("unlicenseduser", "")).split("|"):
            raise DeliveryError("unlicensed_user", "the member has no licence for this application")
        return str(answer.get("msgid", ""))

    def recall(self, message) -> None:
        if message.sent_at is None or timezone.now() - message.sent_at > RECALL_WITHIN:
            raise DeliveryError("recall_too_late", "企业微信 recalls messages within 24 hours only")
        WecomClient(message.account).call("/cgi-bin/message/recall", {"msgid": message.provider_id})


class WecomRobotBackend(Backend):
    """The school's group robot: a content-free ping, 20 a minute at most."""

    name = "wecombot"

    def send(self, message) -> str:
        from xinan.notifications.models import Message

        account = message.account
        if message.template != ROBOT_PING_TEMPLATE:  # a group chat never sees a name or a case
            raise DeliveryError("robot_content_refused", message.template)
        if account is None or not account.has_robot:
            raise DeliveryError("no_channel_account", "企业微信 group robot not configured")
        wait_for_slot(
            Message.objects.filter(channel=message.channel, account=account),
            limit=ROBOT_PER_MINUTE,
            window=dt.timedelta(minutes=1),
            code="wecom_robot_limit",
        )
        answer = call_json(
            f"{base_url()}/cgi-bin/webhook/send",
            query={"key": account.robot_key},
            body={"msgtype": "text", "text": {"content": message.body}},
        )
        if errcode(answer) != 0:
            raise _refusal(answer)
        return f"wecombot-{message.pk}"
