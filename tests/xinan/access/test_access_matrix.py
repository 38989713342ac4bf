"""The access matrix: every URL pattern of the platform (from the resolver, so a new view cannot be
forgotten) × every role × GET, POST, PUT, PATCH and DELETE, against the one table in table.py.

A cell fails on an unexpected success, on a refusal that is not the audited 404 of xinan.web.access
(anonymous visitors: not a redirect to the sign-in page), and on any write to the data on a refusal:
each refused request is watched statement by statement, and a hash over every row of every table
(the audit trail and the sessions aside) is taken before and after each URL pattern's row. Allowed
requests are rolled back, so every cell sees the same world.

Outside the circle: each row's URL is also requested with one argument at a time replaced by the
matching object of school B / province B, as every school-A / province-A person the row allows;
each of those must be the audited 404.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.urls import reverse

from tests.xinan.access.matrix import METHODS, RESULTS, Outcome, fingerprint, request_cell, url_names, writes_watched
from tests.xinan.access.table import GLASS_OFFER, NOBODY, ROLES, SENT_BACK, SIGNED_IN, TABLE, TO_SIGN_IN, U
from xinan.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

URL_NAMES = url_names()
LOGIN_URL = reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL


@dataclass(frozen=True)
class Expected:
    kind: str  # allowed | refused | method | sign_in | sign_in_or_method | glass_offer | sent_back | to_sign_in
    keep: bool  # kept (not rolled back): the fingerprint then proves the request changed nothing


def expected(entry: U, method: str, role: str) -> Expected:
    special = dict(entry.special).get((method, role))
    if special == GLASS_OFFER:
        return Expected("glass_offer", keep=True)
    if special == SENT_BACK:
        return Expected("sent_back", keep=True)
    if special == TO_SIGN_IN:
        return Expected("to_sign_in", keep=False)
    allowed = entry.allowed(method)
    if allowed is not None and role in allowed:
        return Expected("allowed", keep=False)
    if role == "anonymous":
        return Expected("sign_in" if allowed is not None else "sign_in_or_method", keep=True)
    if allowed is None:
        return Expected("method", keep=True)
    return Expected("refused", keep=True)


def problem_of(want: Expected, got: Outcome) -> str | None:
    """What is wrong with this cell, or None."""
    if want.kind != "allowed" and got.written:
        return f"wrote to {sorted(got.written)}"
    if got.status >= 500:
        return "server error"
    sent_to_sign_in = got.status == 302 and got.location.split("?")[0] == LOGIN_URL
    if want.kind == "allowed":
        if got.refusals or got.status in (403, 404, 405) or sent_to_sign_in:
            return "refused, but the table allows it"
        return None
    if want.kind == "to_sign_in":
        return None if sent_to_sign_in and not got.refusals else "expected to end at the sign-in page"
    if want.kind == "refused":
        if got.status != 404 or got.refusals != 1:
            return "expected the audited 404 (404 and one access.denied row)"
        return None
    if want.kind == "method":
        if got.status != 405 or got.refusals:
            return "expected 405 (the view does not answer this method)"
        return None
    if want.kind in ("sign_in", "sign_in_or_method"):
        method_refused = want.kind == "sign_in_or_method" and got.status == 405
        if not (sent_to_sign_in or method_refused) or got.refusals:
            return "expected a redirect to the sign-in page"
        return None
    if want.kind == "glass_offer":
        # The same 404 as for a missing case (issue 13.12), refusal logged; the form is the body.
        if got.status != 404 or got.refusals != 1:
            return "expected the break-the-glass offer (the audited 404)"
        return None
    if want.kind == "sent_back":
        if got.refusals or got.status not in (302, 400, 409):
            return "expected to be sent back with a message"
        return None
    raise AssertionError(want.kind)


# The people whose circle is school A / province A only: every object of school B (province B) is
# outside it. (The national admin's circle is the nation; counsellor B and provincial admin B are B's.)
INSIDE_A = SIGNED_IN - {"national_admin", "provincial_admin_b", "counsellor_b"}


def outside_urls(name: str, entry: U, objects):
    """The row's URL with one argument at a time replaced by its school-B twin (the other arguments
    stay school A's, so a view that checks one object and fetches another is caught)."""
    for key, value in entry.kwargs:
        twin = "school_b" if value == "school_a" else f"{value}_b"
        if value.startswith("=") or twin not in objects.things:
            continue
        kwargs = entry.url_kwargs(objects)
        kwargs[key] = objects.resolve(twin)
        yield key, reverse(name, kwargs=kwargs)


def _glass_offers() -> int:
    return AuditEntry.objects.filter(action="xinan.case.glass_offer").count()


def test_every_url_pattern_has_exactly_one_row():
    missing = sorted(set(URL_NAMES) - set(TABLE))
    stale = sorted(set(TABLE) - set(URL_NAMES))
    assert not missing, f"URL patterns without a row in tests/xinan/access/table.py: {missing}"
    assert not stale, f"rows of tests/xinan/access/table.py without a URL pattern: {stale}"
    assert len(URL_NAMES) == len(set(URL_NAMES)), "two URL patterns share a name"


@pytest.mark.parametrize("name", URL_NAMES)
def test_access_matrix(matrix, name):
    entry = TABLE.get(name)
    if entry is None:
        pytest.fail(f"{name} has no row in tests/xinan/access/table.py")
    url = reverse(name, kwargs=entry.url_kwargs(matrix.objects))
    before = fingerprint()
    problems, checked = [], 0
    for method in METHODS:
        for role in ROLES:
            want = expected(entry, method, role)
            client, session_key = matrix.clients[role]
            offers = _glass_offers() if want.kind == "glass_offer" else 0
            got = request_cell(client, session_key, method, url, keep=want.keep)
            problem = problem_of(want, got)
            if not problem and want.kind == "glass_offer" and _glass_offers() != offers + 1:
                problem = "the break-the-glass offer was not audited"
            checked += 1
            if problem:
                problems.append(f"{method.upper()} {url} as {role}: {got.short()} — {problem}")
    outside = 0
    for key, twin_url in outside_urls(name, entry, matrix.objects):
        for method in ("get", "post"):
            for role in sorted((entry.allowed(method) or NOBODY) & INSIDE_A):
                client, session_key = matrix.clients[role]
                got = request_cell(client, session_key, method, twin_url, keep=True)
                problem = problem_of(Expected("refused", keep=True), got)
                outside += 1
                if problem:
                    problems.append(
                        f"{method.upper()} {twin_url} ({key} of school B) as {role}: {got.short()} — {problem}"
                    )
    if fingerprint() != before:
        problems.append(f"{name}: the data changed during the refused requests")
    RESULTS["urls"] += 1
    RESULTS["roles"] = len(ROLES)
    RESULTS["methods"] = len(METHODS)
    RESULTS["cells"] += checked
    RESULTS["outside"] += outside
    RESULTS["failed_urls"] += bool(problems)
    assert not problems, "\n".join(problems)


# --- The judge itself: each kind of failure is caught --------------------------------------
def test_an_unexpected_success_a_write_and_an_unaudited_refusal_are_each_caught():
    refused = Expected("refused", keep=True)
    assert problem_of(refused, Outcome(404, "", 1, frozenset())) is None
    assert problem_of(refused, Outcome(200, "", 0, frozenset()))
    assert problem_of(refused, Outcome(404, "", 0, frozenset()))  # not audited
    assert problem_of(refused, Outcome(404, "", 1, frozenset({"cases_case"})))  # wrote
    assert problem_of(Expected("allowed", keep=False), Outcome(404, "", 1, frozenset()))
    assert problem_of(Expected("method", keep=True), Outcome(200, "", 0, frozenset()))
    assert problem_of(Expected("sign_in", keep=True), Outcome(200, "", 0, frozenset()))
    assert problem_of(Expected("sign_in", keep=True), Outcome(302, LOGIN_URL + "?next=/", 0, frozenset())) is None


def test_a_refusal_left_unaudited_by_the_view_is_caught(matrix, monkeypatch):
    """With the audit row of refusals switched off, a real refused request fails the judge."""
    from django.http import Http404

    def silent_refuse(request, **kwargs):
        raise Http404

    monkeypatch.setattr("xinan.web.access.refuse", silent_refuse)
    client, session_key = matrix.clients["counsellor_b"]
    url = reverse("cases:assess", kwargs={"pk": matrix.objects.case.pk})
    got = request_cell(client, session_key, "get", url, keep=False)
    assert got.status == 404
    assert problem_of(Expected("refused", keep=True), got) == "expected the audited 404 (404 and one access.denied row)"


def test_a_write_on_a_refused_request_is_caught(matrix):
    """The statement watch sees a write made while a request is refused, and the fingerprint too."""
    from xinan.cases.models import Case

    before = fingerprint()
    with writes_watched() as written:
        Case.objects.filter(pk=matrix.objects.case.pk).update(reference="X-1")
    assert written == {"cases_case"}
    assert fingerprint() != before
