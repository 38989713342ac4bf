"""Stand-ins for the SMS providers on loopback: they implement the documented
endpoints, check the signatures and answer as the providers do, so the real
client code runs over real HTTP and no test reaches an outside service."""

from __future__ import annotations

import base64
import hashlib
import hmac
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
    """SendSms and QuerySendDetails (dysmsapi 2017-05-25) with the signature checked; ``fail_with``
    answers every SendSms with an error; ``reports`` holds the operator's report per BizId."""

    def __init__(self):
        self.reports: dict[str, dict] = {}
        self.queries: list[dict] = []
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
        if params.get("Action") == "QuerySendDetails":
            return 200, self._details(params)
        if self.fail_with:
            return 200, self.fail_with
        self.sent.append(params)
        return 200, {"Code": "OK", "Message": "OK", "BizId": f"biz-{len(self.sent)}", "RequestId": "req"}

    def _details(self, params):
        self.queries.append(params)
        number = int(params["BizId"].removeprefix("biz-"))
        sent = self.sent[number - 1] if 0 < number <= len(self.sent) else None
        if sent is None or sent["PhoneNumbers"] != params["PhoneNumber"]:
            return {"Code": "OK", "Message": "OK", "TotalCount": 0, "SmsSendDetailDTOs": {"SmsSendDetailDTO": []}}
        detail = {
            "OutId": sent["OutId"],
            "PhoneNum": sent["PhoneNumbers"],
            "SendStatus": 1,
            "ErrCode": "",
            "SendDate": "2026-03-01 08:00:00",
            "ReceiveDate": "",
            "TemplateCode": sent["TemplateCode"],
        }
        detail.update(self.reports.get(params["BizId"], {}))
        return {"Code": "OK", "Message": "OK", "TotalCount": 1, "SmsSendDetailDTOs": {"SmsSendDetailDTO": [detail]}}


class FakeWecom:
    """企业微信: gettoken, user/getuserid, message/send, message/recall and the group robot's webhook."""

    CORP_ID, SECRET, ROBOT_KEY = "ww-test-corp", "wecom-test-secret", "robot-key-1"

    def __init__(self):
        self.members: dict[str, str] = {}  # phone -> userid
        self.tokens_issued = 0
        self.valid_tokens: set[str] = set()
        self.expired_tokens: set[str] = set()  # answer 42001 for these
        self.lookups: list[str] = []
        self.sent: list[dict] = []
        self.recalled: list[str] = []
        self.robot_posts: list[str] = []
        self.not_licensed: set[str] = set()
        self.rate_limited = False

    def route(self, path, query, body):
        if path == "/cgi-bin/gettoken":
            if (query.get("corpid"), query.get("corpsecret")) != (self.CORP_ID, self.SECRET):
                return {"errcode": 40013, "errmsg": "invalid corpid"}
            self.tokens_issued += 1
            token = f"tok-{self.tokens_issued}"
            self.valid_tokens.add(token)
            return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
        if path == "/cgi-bin/webhook/send":
            if query.get("key") != self.ROBOT_KEY:
                return {"errcode": 93000, "errmsg": "invalid webhook url"}
            if self.rate_limited:
                return {"errcode": 45009, "errmsg": "api freq out of limit"}
            self.robot_posts.append(body["text"]["content"])
            return {"errcode": 0, "errmsg": "ok"}
        token = query.get("access_token", "")
        if token in self.expired_tokens:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        if token not in self.valid_tokens:
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        if path == "/cgi-bin/user/getuserid":
            self.lookups.append(body["mobile"])
            if body["mobile"] not in self.members:
                return {"errcode": 46004, "errmsg": "user no exist"}
            return {"errcode": 0, "errmsg": "ok", "userid": self.members[body["mobile"]]}
        if path == "/cgi-bin/message/send":
            if self.rate_limited:
                return {"errcode": 45009, "errmsg": "api freq out of limit"}
            self.sent.append(body)
            unlicensed = body["touser"] if body["touser"] in self.not_licensed else ""
            return {
                "errcode": 0,
                "errmsg": "ok",
                "invaliduser": "",
                "unlicenseduser": unlicensed,
                "msgid": f"msg-{len(self.sent)}",
            }
        if path == "/cgi-bin/message/recall":
            self.recalled.append(body["msgid"])
            return {"errcode": 0, "errmsg": "ok"}
        return {"errcode": 404, "errmsg": "no such path"}


class FakeDingtalk:
    """钉钉: gettoken, getbymobile, asyncsend_v2, getsendresult and the custom robot with 加签."""

    APP_KEY, SECRET, AGENT_ID = "ding-test-key", "ding-test-secret", "9001"
    ROBOT_TOKEN, ROBOT_SECRET = "robot-token-1", "SEC-robot-secret"

    def __init__(self):
        self.members: dict[str, str] = {}
        self.tokens_issued = 0
        self.valid_tokens: set[str] = set()
        self.sent: list[dict] = []
        self.results: dict[int, dict] = {}  # task_id -> send_result
        self.robot_posts: list[str] = []
        self.robot_rate_limited = False
        self.seen_today: set[tuple[str, str]] = set()  # (userid, content): the platform's once-a-day rule

    def route(self, path, query, body):
        if path == "/gettoken":
            if (query.get("appkey"), query.get("appsecret")) != (self.APP_KEY, self.SECRET):
                return {"errcode": 40089, "errmsg": "不合法的corpid或corpsecret"}
            self.tokens_issued += 1
            token = f"dtok-{self.tokens_issued}"
            self.valid_tokens.add(token)
            return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
        if path == "/robot/send":
            return self._robot(query, body)
        if query.get("access_token") not in self.valid_tokens:
            return {"errcode": 40014, "errmsg": "不合法的access_token"}
        if path == "/topapi/v2/user/getbymobile":
            if body["mobile"] not in self.members:
                return {"errcode": 60121, "errmsg": "找不到该用户"}
            return {"errcode": 0, "errmsg": "ok", "result": {"userid": self.members[body["mobile"]]}}
        if path == "/topapi/message/corpconversation/asyncsend_v2":
            if str(body["agent_id"]) != self.AGENT_ID:
                return {"errcode": 60020, "errmsg": "agent not found"}
            self.sent.append(body)
            task_id = 7000 + len(self.sent)
            userid, content = body["userid_list"], body["msg"]["text"]["content"]
            result = _empty_result()
            if (userid, content) in self.seen_today:  # accepted, never delivered
                result["forbidden_list"] = [{"code": "143104", "count": 1, "userid": userid}]
                result["forbidden_user_id_list"] = [userid]
            else:
                self.seen_today.add((userid, content))
                result["unread_user_id_list"] = [userid]
            self.results[task_id] = result
            return {"errcode": 0, "errmsg": "ok", "task_id": task_id, "request_id": "req"}
        if path == "/topapi/message/corpconversation/getsendresult":
            return {
                "errcode": 0,
                "errmsg": "ok",
                "send_result": self.results.get(int(body["task_id"]), _empty_result()),
            }
        return {"errcode": 404, "errmsg": "no such path"}

    def _robot(self, query, body):
        if query.get("access_token") != self.ROBOT_TOKEN:
            return {"errcode": 300001, "errmsg": "token is not exist"}
        timestamp = query.get("timestamp", "0")
        expected = base64.b64encode(
            hmac.new(self.ROBOT_SECRET.encode(), f"{timestamp}\n{self.ROBOT_SECRET}".encode(), hashlib.sha256).digest()
        ).decode()
        if query.get("sign") != expected or abs(time.time() * 1000 - int(timestamp)) > 3600 * 1000:
            return {"errcode": 310000, "errmsg": "sign not match"}
        if self.robot_rate_limited:
            return {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
        self.robot_posts.append(body["text"]["content"])
        return {"errcode": 0, "errmsg": "ok"}


def _empty_result():
    return {
        "invalid_user_id_list": [],
        "forbidden_user_id_list": [],
        "failed_user_id_list": [],
        "read_user_id_list": [],
        "unread_user_id_list": [],
        "invalid_dept_id_list": [],
        "forbidden_list": [],
    }


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
            if hasattr(provider, "route"):
                url = urlparse(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                self._answer(200, provider.route(url.path, query, json.loads(body or b"{}")))
                return
            self._answer(200, provider.handle(self.headers, body))

        def do_GET(self):
            if hasattr(provider, "route"):
                url = urlparse(self.path)
                self._answer(200, provider.route(url.path, {k: v[0] for k, v in parse_qs(url.query).items()}, None))
                return
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
def wecom(settings):
    provider = FakeWecom()
    server = _serve(provider)
    settings.WECOM_ENDPOINT = f"http://127.0.0.1:{server.server_port}"
    yield provider
    server.shutdown()
    server.server_close()


@pytest.fixture
def dingtalk(settings):
    provider = FakeDingtalk()
    server = _serve(provider)
    settings.DINGTALK_ENDPOINT = f"http://127.0.0.1:{server.server_port}"
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
