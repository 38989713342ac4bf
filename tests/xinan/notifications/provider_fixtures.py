"""Stand-ins for the SMS providers on loopback: they implement the documented
endpoints, check the signatures and answer as the providers do, so the real
client code runs over real HTTP and no test reaches an outside service."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from xinan.notifications.backends.aliyun import sign
from xinan.notifications.backends.tencent import tc3_signature

TENCENT_SECRET_ID = "AKIDtest"
TENCENT_SECRET_KEY = "tencent-test-secret"
ALIYUN_KEY_ID = "aliyun-test-id"
ALIYUN_SECRET = "aliyun-test-secret"


class FakeTencentSms:
    """SendSms and PullSmsSendStatus (API 3.0, 2021-01-11) with TC3-HMAC-SHA256 checked."""

    def __init__(self):
        self.sent: list[dict] = []  # SendSms bodies accepted
        self.calls: list[str] = []  # every action called, in order
        self.send_answers: list[dict] = []  # queued answers for SendSms; empty: "Ok"
        self.reports: list[dict] = []  # PullSmsSendStatus items still to hand out
        self.delay = 0.0  # seconds to wait before answering (a slow provider)

    def handle(self, headers, body: bytes) -> dict:
        action = headers.get("X-TC-Action", "")
        self.calls.append(action)
        if self.delay:
            time.sleep(self.delay)
        payload = body.decode("utf-8")
        expected = tc3_signature(
            secret_key=TENCENT_SECRET_KEY,
            host=headers.get("Host", ""),
            service="sms",
            timestamp=int(headers.get("X-TC-Timestamp", "0")),
            payload=payload,
        )
        auth = headers.get("Authorization", "")
        if not auth.startswith(f"TC3-HMAC-SHA256 Credential={TENCENT_SECRET_ID}/") or not auth.endswith(
            f"Signature={expected}"
        ):
            return _tencent_error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
        if headers.get("X-TC-Version") != "2021-01-11":
            return _tencent_error("InvalidParameter", "version")
        request = json.loads(payload)
        if action == "SendSms":
            if self.send_answers:
                answer = self.send_answers.pop(0)
                if "Error" in answer:
                    return {"Response": {**answer, "RequestId": "req"}}
                return {"Response": {"SendStatusSet": [answer], "RequestId": "req"}}
            self.sent.append(request)
            serial = f"serial-{len(self.sent)}"
            status = {
                "SerialNo": serial,
                "PhoneNumber": request["PhoneNumberSet"][0],
                "Fee": 1,
                "SessionContext": request.get("SessionContext", ""),
                "Code": "Ok",
                "Message": "send success",
                "IsoCode": "CN",
            }
            return {"Response": {"SendStatusSet": [status], "RequestId": "req"}}
        if action == "PullSmsSendStatus":
            limit = min(int(request.get("Limit", 100)), 100)
            handed, self.reports = self.reports[:limit], self.reports[limit:]  # each report handed out once
            return {"Response": {"PullSmsSendStatusSet": handed, "RequestId": "req"}}
        return _tencent_error("InvalidAction", action)


def _tencent_error(code: str, message: str) -> dict:
    return {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": "req"}}


class FakeAliyunSms:
    """SendSms (dysmsapi 2017-05-25) with the signature checked; ``fail_with`` answers every call with an error."""

    def __init__(self):
        self.sent: list[dict] = []
        self.calls = 0
        self.fail_with: dict | None = None
        self.http_status = 200

    def handle_get(self, query: dict) -> tuple[int, dict]:
        self.calls += 1
        params = {key: values[0] for key, values in query.items()}
        signature = params.pop("Signature", "")
        if signature != sign(params, ALIYUN_SECRET):
            return 200, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
        if self.http_status != 200:
            return self.http_status, {"Code": "ServiceUnavailable", "Message": "The service is unavailable"}
        if self.fail_with:
            return 200, self.fail_with
        self.sent.append(params)
        return 200, {"Code": "OK", "Message": "OK", "BizId": f"biz-{len(self.sent)}", "RequestId": "req"}


def _serve(provider):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status, payload):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self._answer(200, provider.handle(self.headers, body))

        def do_GET(self):
            self._answer(*provider.handle_get(parse_qs(urlparse(self.path).query)))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def tencent_sms():
    provider = FakeTencentSms()
    server = _serve(provider)
    provider.endpoint = f"http://127.0.0.1:{server.server_port}/"
    yield provider
    server.shutdown()
    server.server_close()


@pytest.fixture
def aliyun_sms():
    provider = FakeAliyunSms()
    server = _serve(provider)
    provider.endpoint = f"http://127.0.0.1:{server.server_port}/"
    yield provider
    server.shutdown()
    server.server_close()


TENCENT_TEMPLATES = json.dumps({"login_code": {"id": "1100001", "params": ["code", "minutes"]}})


def use_tencent(settings, provider, *, primary=True):
    """Point the settings at the Tencent stand-in, as the main provider or as the failover."""
    settings.TENCENT_SMS_SECRET_ID = TENCENT_SECRET_ID
    settings.TENCENT_SMS_SECRET_KEY = TENCENT_SECRET_KEY
    settings.TENCENT_SMS_APP_ID = "1400000001"
    settings.TENCENT_SMS_TEMPLATES = TENCENT_TEMPLATES
    settings.TENCENT_SMS_ENDPOINT = provider.endpoint
    if primary:
        settings.SMS_BACKEND = "tencent"
    else:
        settings.SMS_FAILOVER_BACKEND = "tencent"


def use_aliyun(settings, provider):
    settings.SMS_BACKEND = "aliyun"
    settings.SMS_ACCESS_KEY_ID = ALIYUN_KEY_ID
    settings.SMS_ACCESS_KEY_SECRET = ALIYUN_SECRET
    settings.SMS_TEMPLATE_CODES = json.dumps({"login_code": "SMS_1"})
    settings.SMS_ENDPOINT = provider.endpoint
