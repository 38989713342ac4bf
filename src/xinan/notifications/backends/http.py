"""JSON over HTTP for the work-platform clients (standard library only), with every
transport failure turned into a DeliveryError whose code is safe to log."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from django.core.exceptions import ImproperlyConfigured

from xinan.notifications.backends.base import DeliveryError

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
