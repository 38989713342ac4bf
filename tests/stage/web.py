"""A person at a browser, as plain HTTP: a cookie jar, CSRF tokens read from the forms, POSTs
not followed (the page a POST redirects to is its own request, as in a browser)."""

from __future__ import annotations

import re
import time

import requests

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def token_in(html: str) -> str:
    match = TOKEN.search(html)
    return (match.group(1) or match.group(2)) if match else ""


class Person:
    def __init__(self, base: str, label: str):
        self.base, self.label = base, label
        self.session = requests.Session()
        self.last_page = ""

    def get(self, path: str, **kwargs) -> requests.Response:
        response = self.session.get(self.base + path, allow_redirects=False, timeout=60, **kwargs)
        self.last_page = response.text
        return response

    def post(self, path: str, data: dict | None = None, *, files=None, token: str | None = None) -> requests.Response:
        form = {**(data or {}), "csrfmiddlewaretoken": token if token is not None else token_in(self.last_page)}
        response = self.session.post(self.base + path, data=form, files=files, allow_redirects=False, timeout=60)
        if response.headers.get("Content-Type", "").startswith("text/html"):
            self.last_page = response.text
        return response

    def follow(self, response: requests.Response) -> requests.Response:
        location = response.headers.get("Location", "")
        return self.get(location) if location.startswith("/") else response

    def sign_in_with_password(self, phone: str, password: str) -> requests.Response:
        self.get("/accounts/login/?tab=password")
        return self.post("/accounts/login/", {"phone": phone, "password": password})

    def sign_in_with_code(self, phone: str, gateway, *, seconds: float = 30) -> requests.Response:
        """Ask for a code, read it from the SMS that reached the (stand-in) provider, type it."""
        self.get("/accounts/login/")
        before = gateway.count()
        page = self.post("/accounts/login/code/send/", {"phone": phone})
        code = gateway.wait_for_code(phone, after=before, seconds=seconds)
        if code is None:
            return page
        self.last_page = page.text
        return self.post("/accounts/login/code/", {"phone": phone, "code": code})


def timed_get(person: Person, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        status = person.get(path).status_code
    except requests.RequestException:
        status = 0
    return (time.perf_counter() - started) * 1000, status
