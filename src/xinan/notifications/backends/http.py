"""JSON over HTTP for the work-platform clients (standard library only), with every
transport failure turned into a DeliveryError whose code is safe to log."""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request

from django.core.exceptions import ImproperlyConfigured

from xinan.notifications.backends.base import Deferred, DeliveryError

TIMEOUT_SECONDS = 10
MAX_ANSWER_BYTES = 1024 * 1024


def checked_base(url: str, setting: str) -> str:
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("https", "http") or not parsed.netloc:
        raise ImproperlyConfigured(f"{setting} must be an http(s) URL")
    return url.rstrip("/")


def call_json(url: str, *, query: dict | None = None, body: dict | None = None) -> dict:
    """GET (no body) or POST a JSON body to ``url``; the answer must be a JSON object."""
    if query:
        url = f"{url}?{urllib.parse.urlencode(query)}"
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8"} if data is not None else {}
    request = urllib.request.Request(url, data=data, headers=headers, method="GET" if data is None else "POST")  # noqa: S310 - base URL checked by checked_base
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - as above
            answer = json.loads(response.read(MAX_ANSWER_BYTES).decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise DeliveryError("http_error", str(exc.code)) from exc
    except urllib.error.URLError as exc:
        raise DeliveryError("network_error", type(exc.reason).__name__) from exc
    except TimeoutError as exc:
        raise DeliveryError("timeout", f"no answer within {TIMEOUT_SECONDS} s") from exc
    except (OSError, ValueError) as exc:
        raise DeliveryError("network_error", type(exc).__name__) from exc
    if not isinstance(answer, dict):
        raise DeliveryError("bad_answer", "not a JSON object")
    return answer


# --- Answers of the work platforms (企业微信, 钉钉): both use {"errcode": n, "errmsg": "..."} ----------
def errcode(answer: dict) -> int:
    """The platform's error code (0: success); -1 when the answer carries none that reads as a number."""
    try:
        return int(answer.get("errcode", 0))
    except (TypeError, ValueError):
        return -1


def refusal(answer: dict, *, platform: str, rate_limited: set[int]) -> Exception:
    """The error a refused call raises: a deferral for a rate limit (tried again later, not counted as
    a failed attempt), else a delivery error whose code names the platform and its error code."""
    code = errcode(answer)
    if code in rate_limited:
        return Deferred(f"{platform}_{code}", retry_after=60)
    return DeliveryError(f"{platform}_{code}", str(answer.get("errmsg", ""))[:200])


def token_cache_key(platform: str, account) -> str:
    """Where an application's access token is cached: a new secret never reuses an old token."""
    fingerprint = hashlib.sha256(f"{account.app_key}\0{account.app_secret}".encode()).hexdigest()[:16]
    return f"{platform}:token:{account.pk}:{fingerprint}"
