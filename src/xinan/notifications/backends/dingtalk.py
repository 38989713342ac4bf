"""钉钉 (DingTalk): the work notice (工作通知) to one person, and the custom group robot.

Written to the documented server API (oapi.dingtalk.com) with the standard
library; tested against a stand-in on loopback. What the platform documents and
this client honours:

- ``gettoken`` gives an access token for 7200 s: cached per application and
  fetched again at once when a call answers that it is invalid or expired
  (40014, 42001, 88), the call repeated once.
- ``topapi/v2/user/getbymobile`` turns a phone into the userid: cached a day,
  a miss (60121) too.
- ``asyncsend_v2`` only accepts the notice; whether it arrived is read later
  with ``getsendresult`` (read / unread / failed / forbidden per person). A
  notice over the platform's limits is *accepted* and never delivered: the
  person shows up in the forbidden list, and the row says so.
- the same content reaches the same person only once a day: a repeated
  reminder gets the time appended, so it differs and is delivered.
- the custom robot: HMAC-SHA256 signature of ``timestamp\\nsecret`` ("加签"),
  at most 20 messages a minute per robot, honoured by deferring; 130101 (too
  fast anyway) defers a minute.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from xinan.notifications.backends.base import Backend, Deferred, DeliveryError
from xinan.notifications.backends.http import call_json, checked_base, errcode, refusal, token_cache_key
from xinan.notifications.backends.limits import wait_for_slot
from xinan.notifications.enums import ROBOT_PING_TEMPLATE, Delivery

DEFAULT_ENDPOINT = "https://oapi.dingtalk.com"
TOKEN_EXPIRED = {40014, 42001, 88}
RATE_LIMITED = {90002, 90018, 130101}
USER_NOT_FOUND = {60121}
ROBOT_PER_MINUTE = 20
USERID_CACHE_SECONDS = 24 * 3600


def base_url() -> str:
    return checked_base(settings.DINGTALK_ENDPOINT or DEFAULT_ENDPOINT, "XINAN_DINGTALK_ENDPOINT")


def robot_sign(secret: str, timestamp_ms: int) -> str:
    """The custom robot's "加签": Base64(HMAC-SHA256(key=secret, "timestamp\\nsecret")), before URL encoding."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _refusal(answer: dict) -> DeliveryError:
    return refusal(answer, platform="dingtalk", rate_limited=RATE_LIMITED)


class DingtalkClient:
    def __init__(self, account):
        if account is None or not account.has_app:
            raise DeliveryError("no_channel_account", "钉钉 application not configured")
        self.account, self.base = account, base_url()
        self.token_key = token_cache_key("dingtalk", account)

    def token(self, *, fresh: bool = False) -> str:
        if not fresh:
            cached = cache.get(self.token_key)
            if cached:
                return cached
        answer = call_json(
            f"{self.base}/gettoken", query={"appkey": self.account.app_key, "appsecret": self.account.app_secret}
        )
        if errcode(answer) != 0 or not answer.get("access_token"):
            raise _refusal(answer)
        cache.set(self.token_key, answer["access_token"], timeout=max(60, int(answer.get("expires_in", 7200)) - 300))
        return answer["access_token"]

    def call(self, path: str, body: dict) -> dict:
        answer = call_json(f"{self.base}{path}", query={"access_token": self.token()}, body=body)
        if errcode(answer) in TOKEN_EXPIRED:
            cache.delete(self.token_key)
            answer = call_json(f"{self.base}{path}", query={"access_token": self.token(fresh=True)}, body=body)
        if errcode(answer) != 0:
            raise _refusal(answer)
        return answer

    def userid(self, message) -> str:
        key = f"dingtalk:userid:{self.account.pk}:{message.to_index}"  # the phone's blind index, never the number
        cached = cache.get(key)
        if cached is not None:
            if not cached:
                raise DeliveryError("invalid_user", "no 钉钉 member has this phone")
            return cached
        try:
            answer = self.call("/topapi/v2/user/getbymobile", {"mobile": message.to_address})
        except Deferred:
            raise
        except DeliveryError as exc:
            if exc.code in {f"dingtalk_{code}" for code in USER_NOT_FOUND}:
                cache.set(key, "", timeout=USERID_CACHE_SECONDS)
                raise DeliveryError("invalid_user", "no 钉钉 member has this phone") from exc
            raise
        userid = str((answer.get("result") or {}).get("userid", ""))
        if not userid:
            raise DeliveryError("bad_answer", "getbymobile without a userid")
        cache.set(key, userid, timeout=USERID_CACHE_SECONDS)
        return userid


def varied_for_today(message) -> str:
    """The body, with the time appended when the same text already went to this person today."""
    from xinan.notifications.models import Message

    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    earlier = (
        Message.objects.filter(
            channel=message.channel, account=message.account, to_index=message.to_index, sent_at__gte=start
        )
        .exclude(pk=message.pk)
        .only("body")
    )
    bodies = {other.body for other in earlier}
    if message.body not in bodies:
        return message.body
    stamp = timezone.localtime().strftime("%H:%M:%S")
    return f"{message.body}（{stamp}）"


class DingtalkWorkNoticeBackend(Backend):
    name = "dingtalk"

    def send(self, message) -> str:
        client = DingtalkClient(message.account)
        userid = client.userid(message)
        message.body = varied_for_today(message)  # the row keeps the text that was sent
        answer = client.call(
            "/topapi/message/corpconversation/asyncsend_v2",
            {
                "agent_id": int(message.account.agent_id),
                "userid_list": userid,
                "msg": {"msgtype": "text", "text": {"content": message.body}},
            },
        )
        task_id = answer.get("task_id")
        if not task_id:
            raise DeliveryError("bad_answer", "asyncsend_v2 without a task_id")
        return str(task_id)

    def send_result(self, message) -> tuple[str, str] | None:
        """(delivery, detail) from getsendresult for the one person of ``message``; None while unknown."""
        answer = DingtalkClient(message.account).call(
            "/topapi/message/corpconversation/getsendresult",
            {"agent_id": int(message.account.agent_id), "task_id": int(message.provider_id)},
        )
        result = answer.get("send_result") or {}
        forbidden = result.get("forbidden_list") or []
        if result.get("forbidden_user_id_list") or forbidden:
            codes = ",".join(sorted({str(item.get("code", "")) for item in forbidden if isinstance(item, dict)}))
            return Delivery.UNDELIVERED, f"forbidden (over a 钉钉 limit{': ' + codes if codes else ''})"
        if result.get("invalid_user_id_list"):
            return Delivery.UNDELIVERED, "invalid user"
        if result.get("failed_user_id_list"):
            return Delivery.UNDELIVERED, "failed"
        if result.get("read_user_id_list"):
            return Delivery.READ, ""
        if result.get("unread_user_id_list"):
            return Delivery.UNREAD, ""
        return None


class DingtalkRobotBackend(Backend):
    """The school's custom robot: a content-free ping, signed, 20 a minute at most."""

    name = "dingbot"

    def send(self, message) -> str:
        from xinan.notifications.models import Message

        account = message.account
        if message.template != ROBOT_PING_TEMPLATE:  # a group chat never sees a name or a case
            raise DeliveryError("robot_content_refused", message.template)
        if account is None or not account.has_robot:
            raise DeliveryError("no_channel_account", "钉钉 group robot not configured")
        wait_for_slot(
            Message.objects.filter(channel=message.channel, account=account),
            limit=ROBOT_PER_MINUTE,
            window=dt.timedelta(minutes=1),
            code="dingtalk_robot_limit",
        )
        query = {"access_token": account.robot_key}
        if account.robot_secret:
            timestamp = int(time.time() * 1000)
            query.update(timestamp=str(timestamp), sign=robot_sign(account.robot_secret, timestamp))
        answer = call_json(
            f"{base_url()}/robot/send", query=query, body={"msgtype": "text", "text": {"content": message.body}}
        )
        if errcode(answer) != 0:
            raise _refusal(answer)
        return f"dingbot-{message.pk}"
