"""The Aliyun backend: signature per the provider's documented example, and the HTTP
path against a server on loopback (never the real provider)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from xinan.notifications.backends.aliyun import AliyunSmsBackend, sign
from xinan.notifications.backends.base import DeliveryError
from xinan.notifications.models import Message


def test_sign_matches_the_documented_example():
    # The example of Aliyun's "SMS API signature" documentation (SignatureVersion 1.0).
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert sign(params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


class _Gateway(BaseHTTPRequestHandler):
    replies: list = []
    seen: list = []

    def do_GET(self):
        self.seen.append(parse_qs(urlparse(self.path).query))
        body = json.dumps(self.replies.pop(0)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Gateway.replies, _Gateway.seen = [], []
    yield f"http://127.0.0.1:{server.server_port}/", _Gateway
    server.shutdown()
    server.server_close()


def _backend(endpoint):
    return AliyunSmsBackend(
        key_id="id",
        secret="secret",
        sign_name="心安",
        codes={"login_code": "SMS_1"},
        endpoint=endpoint,
        region="cn-hangzhou",
    )


def test_send_ok_returns_biz_id_and_sends_signed_template_params(gateway):
    endpoint, handler = gateway
    handler.replies.append({"Code": "OK", "Message": "OK", "BizId": "biz-1"})
    message = Message(pk=5, template="login_code", to_address="13712345678", params={"code": "123456"})
    assert _backend(endpoint).send(message) == "biz-1"
    query = handler.seen[0]
    assert query["TemplateCode"] == ["SMS_1"]
    assert json.loads(query["TemplateParam"][0]) == {"code": "123456"}
    assert query["Signature"][0]


def test_send_provider_refusal_raises_delivery_error(gateway):
    endpoint, handler = gateway
    handler.replies.append({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "limit"})
    message = Message(pk=6, template="login_code", to_address="13712345678", params={})
    with pytest.raises(DeliveryError) as info:
        _backend(endpoint).send(message)
    assert info.value.code == "isv.BUSINESS_LIMIT_CONTROL"


def test_send_unknown_template_refused_before_any_request():
    message = Message(pk=7, template="unknown", to_address="13712345678", params={})
    with pytest.raises(DeliveryError, match="no_template_code"):
        _backend("http://127.0.0.1:9/").send(message)
