"""Aliyun SMS (dysmsapi, SendSms, API version 2017-05-25), written to the documented
RPC-style HTTP API with signature version 1.0 (HMAC-SHA1). Never called in tests:
they exercise the signature against the documented example and the HTTP path
against a server on loopback.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from xinan.notifications.backends.base import Backend, DeliveryError, Receipt, china_time

DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"


def percent_encode(value: str) -> str:
    return urllib.parse.quote(value, safe="~")


def sign(params: dict[str, str], secret: str, method: str = "GET") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in sorted(params))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def template_codes() -> dict[str, str]:
    try:
        codes = json.loads(settings.SMS_TEMPLATE_CODES or "{}")
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured("XINAN_SMS_TEMPLATE_CODES must be a JSON object") from exc
    if not isinstance(codes, dict):
        raise ImproperlyConfigured("XINAN_SMS_TEMPLATE_CODES must be a JSON object")
    return codes


class AliyunSmsBackend(Backend):
    name = "aliyun"

    def __init__(self, *, key_id: str, secret: str, sign_name: str, codes: dict, endpoint: str, region: str):
        self.key_id, self.secret, self.sign_name = key_id, secret, sign_name
        self.codes, self.endpoint, self.region = codes, endpoint, region
        if urllib.parse.urlparse(endpoint).scheme not in ("https", "http"):
            raise ImproperlyConfigured("XINAN_SMS_ENDPOINT must be an http(s) URL")

    @classmethod
    def from_settings(cls) -> AliyunSmsBackend:
        return cls(
            key_id=settings.SMS_ACCESS_KEY_ID,
            secret=settings.SMS_ACCESS_KEY_SECRET,
            sign_name=settings.SMS_SIGN_NAME,
            codes=template_codes(),
            endpoint=settings.SMS_ENDPOINT or DEFAULT_ENDPOINT,
            region=settings.SMS_REGION,
        )

    def build_params(self, message, *, now: dt.datetime | None = None, nonce: str | None = None) -> dict[str, str]:
        code = self.codes.get(message.template)
        if not code:
            raise DeliveryError("no_template_code", message.template)
        now = now or dt.datetime.now(dt.UTC)
        params = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": message.to_address,
            "RegionId": self.region,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": code,
            "TemplateParam": json.dumps(message.params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            "OutId": str(message.pk),
        }
        params["Signature"] = sign(params, self.secret)
        return params

    def _get(self, params: dict[str, str]) -> dict:
        query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
        request = urllib.request.Request(f"{self.endpoint}?{query}", method="GET")  # noqa: S310 - scheme checked in __init__
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - as above
                payload = json.loads(response.read(1024 * 1024).decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise DeliveryError("http_error", str(exc.code)) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DeliveryError("network_error", type(exc).__name__) from exc
        if not isinstance(payload, dict) or payload.get("Code") != "OK":
            code = payload.get("Code", "unknown") if isinstance(payload, dict) else "bad_answer"
            raise DeliveryError(
                str(code)[:60], str(payload.get("Message", "") if isinstance(payload, dict) else "")[:200]
            )
        return payload

    def receipt(self, message, *, now: dt.datetime | None = None, nonce: str | None = None):
        """The delivery report of one sent message (QuerySendDetails), or None while the operator has none."""
        from django.utils import timezone

        now = now or dt.datetime.now(dt.UTC)
        params = {
            "AccessKeyId": self.key_id,
            "Action": "QuerySendDetails",
            "BizId": message.provider_id,
            "CurrentPage": "1",
            "Format": "JSON",
            "PageSize": "10",
            "PhoneNumber": message.to_address,
            "RegionId": self.region,
            # The day it was sent, in China time as Aliyun keeps it.
            "SendDate": timezone.localtime(message.sent_at, dt.timezone(dt.timedelta(hours=8))).strftime("%Y%m%d"),
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        params["Signature"] = sign(params, self.secret)
        details = (self._get(params).get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
        for detail in details:
            if not isinstance(detail, dict) or str(detail.get("OutId", "")) not in ("", str(message.pk)):
                continue
            status = int(detail.get("SendStatus", 1) or 1)
            if status == 1:  # waiting for the operator's report
                return None
            return Receipt(
                provider_id=message.provider_id,
                delivered=status == 3,
                detail=str(detail.get("ErrCode", ""))[:200],
                at=china_time(detail.get("ReceiveDate")),
            )
        return None

    def send(self, message) -> str:
        return str(self._get(self.build_params(message)).get("BizId", ""))
