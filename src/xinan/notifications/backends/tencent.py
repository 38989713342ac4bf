"""Tencent Cloud SMS (API 3.0, SendSms and PullSmsSendStatus, version 2021-01-11),
written to the documented HTTP API with the TC3-HMAC-SHA256 signature. Never called
in tests: they check the signature against the documented example and run the HTTP
path against a server on loopback that verifies it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from xinan.notifications.backends.base import Backend, DeliveryError, Receipt, china_time

DEFAULT_ENDPOINT = "https://sms.tencentcloudapi.com/"
SERVICE = "sms"
VERSION = "2021-01-11"
CONTENT_TYPE = "application/json; charset=utf-8"
TIMEOUT_SECONDS = 10


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def tc3_signature(*, secret_key: str, host: str, service: str, timestamp: int, payload: str) -> str:
    """The TC3-HMAC-SHA256 signature of a POST of ``payload`` (JSON) to ``host``."""
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")  # UTC date, never local
    canonical_request = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:{CONTENT_TYPE}\nhost:{host}\n",
            "content-type;host",
            hashlib.sha256(payload.encode("utf-8")).hexdigest(),
        ]
    )
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join(
        ["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()]
    )
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization(*, secret_id: str, secret_key: str, host: str, service: str, timestamp: int, payload: str) -> str:
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    signature = tc3_signature(secret_key=secret_key, host=host, service=service, timestamp=timestamp, payload=payload)
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{date}/{service}/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )


def template_table() -> dict[str, dict]:
    """XINAN_TENCENT_SMS_TEMPLATES: {"login_code": {"id": "1234567", "params": ["code", "minutes"]}}.

    Tencent templates take positional parameters ({1}, {2}…): ``params`` names
    XinAn's parameters in the order the approved template uses them.
    """
    try:
        table = json.loads(settings.TENCENT_SMS_TEMPLATES or "{}")
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured("XINAN_TENCENT_SMS_TEMPLATES must be a JSON object") from exc
    if not isinstance(table, dict):
        raise ImproperlyConfigured("XINAN_TENCENT_SMS_TEMPLATES must be a JSON object")
    for name, entry in table.items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("id"), str | int)
            and isinstance(entry.get("params", []), list)
        ):
            raise ImproperlyConfigured(f'XINAN_TENCENT_SMS_TEMPLATES["{name}"] must be {{"id": ..., "params": [...]}}')
    return table


def e164(phone: str) -> str:
    """Tencent wants +86 numbers; the outbox keeps mainland numbers in national form."""
    phone = phone.strip()
    return phone if phone.startswith("+") else f"+86{phone}"


class TencentSmsBackend(Backend):
    name = "tencent"
    # PullSmsSendStatus answers at most 100 reports a call.
    PULL_LIMIT = 100

    def __init__(
        self,
        *,
        secret_id: str,
        secret_key: str,
        app_id: str,
        sign_name: str,
        templates: dict,
        endpoint: str,
        region: str,
    ):
        self.secret_id, self.secret_key, self.app_id = secret_id, secret_key, app_id
        self.sign_name, self.templates, self.region = sign_name, templates, region
        parsed = urllib.parse.urlparse(endpoint)
        if parsed.scheme not in ("https", "http") or not parsed.netloc:
            raise ImproperlyConfigured("XINAN_TENCENT_SMS_ENDPOINT must be an http(s) URL")
        self.endpoint, self.host = endpoint, parsed.netloc

    @classmethod
    def from_settings(cls) -> TencentSmsBackend:
        return cls(
            secret_id=settings.TENCENT_SMS_SECRET_ID,
            secret_key=settings.TENCENT_SMS_SECRET_KEY,
            app_id=settings.TENCENT_SMS_APP_ID,
            sign_name=settings.TENCENT_SMS_SIGN_NAME or settings.SMS_SIGN_NAME,
            templates=template_table(),
            endpoint=settings.TENCENT_SMS_ENDPOINT or DEFAULT_ENDPOINT,
            region=settings.TENCENT_SMS_REGION,
        )

    def _call(self, action: str, body: dict, *, now: int | None = None) -> dict:
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        timestamp = now or int(dt.datetime.now(dt.UTC).timestamp())
        headers = {
            "Authorization": authorization(
                secret_id=self.secret_id,
                secret_key=self.secret_key,
                host=self.host,
                service=SERVICE,
                timestamp=timestamp,
                payload=payload,
            ),
            "Content-Type": CONTENT_TYPE,
            "Host": self.host,
            "X-TC-Action": action,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": VERSION,
            "X-TC-Region": self.region,
        }
        request = urllib.request.Request(self.endpoint, data=payload.encode("utf-8"), headers=headers, method="POST")  # noqa: S310 - scheme checked in __init__
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - as above
                answer = json.loads(response.read(1024 * 1024).decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise DeliveryError("http_error", str(exc.code)) from exc
        except urllib.error.URLError as exc:  # the request never reached the provider
            raise DeliveryError("network_error", type(exc.reason).__name__) from exc
        except TimeoutError as exc:  # sent, but no answer in time
            raise DeliveryError("timeout", f"no answer within {TIMEOUT_SECONDS} s") from exc
        except (OSError, ValueError) as exc:
            raise DeliveryError("network_error", type(exc).__name__) from exc
        result = answer.get("Response") if isinstance(answer, dict) else None
        if not isinstance(result, dict):
            raise DeliveryError("bad_answer", "no Response object")
        error = result.get("Error")
        if isinstance(error, dict):  # a refusal of the whole call: AuthFailure.*, RequestLimitExceeded…
            raise DeliveryError(str(error.get("Code", "unknown"))[:60], str(error.get("Message", ""))[:200])
        return result

    def send(self, message) -> str:
        entry = self.templates.get(message.template)
        if not entry:
            raise DeliveryError("no_template_code", message.template)
        params = message.params or {}
        body = {
            "PhoneNumberSet": [e164(message.to_address)],
            "SmsSdkAppId": self.app_id,
            "SignName": self.sign_name,
            "TemplateId": str(entry["id"]),
            "TemplateParamSet": [str(params.get(name, "")) for name in entry.get("params", [])],
            # Echoed back in receipts; the outbox row id, never personal data.
            "SessionContext": f"xinan-{message.pk}",
        }
        statuses = self._call("SendSms", body).get("SendStatusSet") or []
        if len(statuses) != 1 or not isinstance(statuses[0], dict):
            raise DeliveryError("bad_answer", "SendStatusSet does not hold one status")
        status = statuses[0]
        # Per-number refusals: LimitExceeded.PhoneNumberDailyLimit, InvalidParameterValue.IncorrectPhoneNumber…
        if status.get("Code") != "Ok":
            raise DeliveryError(str(status.get("Code", "unknown"))[:60], str(status.get("Message", ""))[:200])
        return str(status.get("SerialNo", ""))

    def pull_receipts(self) -> list[Receipt]:
        """Delivery reports not yet pulled (the provider hands each one out once)."""
        answer = self._call("PullSmsSendStatus", {"Limit": self.PULL_LIMIT, "SmsSdkAppId": self.app_id})
        receipts = []
        for item in answer.get("PullSmsSendStatusSet") or []:
            if not isinstance(item, dict) or not item.get("SerialNo"):
                continue
            receipts.append(
                Receipt(
                    provider_id=str(item["SerialNo"])[:100],
                    delivered=item.get("ReportStatus") == "SUCCESS",
                    detail=str(item.get("Description", ""))[:200],
                    at=china_time(item.get("UserReceiveTime")),
                )
            )
        return receipts
