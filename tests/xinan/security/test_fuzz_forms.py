"""Every view that accepts POST, posted with hostile payloads: oversized text, NUL and other
control characters, emoji, bidirectional marks, negative and huge numbers, wrong types, lists
where one value is expected, missing fields. No answer may be a server error, and a refusal
(a 4xx, a form shown again with errors, or a redirect carrying only an error message) must
leave every table as it was.

The URL resolver is walked for the views that accept POST; each needs an entry in ``VIEWS``
(who may post there, the URL's arguments, where its form is shown), so a new form is fuzzed
as soon as its URL exists. Field names come from the form as the page renders it.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.xinan.reviews.conftest import make_submission
from tests.xinan.security.fuzz_fixtures import build_scene
from xinan.accounts.services.sessions import PENDING_KEY

EXAMPLES_PER_VIEW = 3


# --- Which views accept POST ---------------------------------------------------------------------
def _methods(callback) -> set[str]:
    """The methods a view's require_http_methods (or a class-based view) lets through."""
    func = callback
    while func is not None:
        view_class = getattr(func, "view_class", None)
        if view_class is not None:
            return {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
        for cell in func.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list) and value and all(isinstance(m, str) and m.isupper() for m in value):
                return set(value)
        func = getattr(func, "__wrapped__", None)
    return {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


def _walk(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from _walk(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}:{pattern.name}" if namespace else str(pattern.name)), pattern.callback


@functools.cache
def post_views() -> dict[str, set[str]]:
    return {name: methods for name, callback in _walk(get_resolver()) if "POST" in (methods := _methods(callback))}


# --- The table: who posts, with which URL arguments, where the form is shown ------------------------
@dataclass(frozen=True)
class View:
    user: str | None  # attribute of the scene or its world; None: signed out
    args: dict = field(default_factory=dict)  # URL kwarg -> scene attribute (its pk) or a literal str
    via: str | None = None  # a page (same args) that shows this view's form, for POST-only views
    fields: tuple[str, ...] = ()  # field names not found on any page (forms posted by script)
    pending_sign_in: str | None = None  # a person half signed in (password given, second factor due)
    saves_first: tuple[str, ...] = ()  # tables a refused post may change because it saves before refusing


CASE = {"pk": "case"}
VIEWS: dict[str, View] = {
    "accounts:login": View(None),
    "accounts:send_code": View(None, via="accounts:login"),
    "accounts:code_login": View(None, via="accounts:login"),
    "accounts:otp": View(None, pending_sign_in="team_leader_a"),
    "accounts:logout": View("counsellor_a"),
    "accounts:security": View("counsellor_a"),
    "accounts:admin_person_create": View("system_admin"),
    "accounts:admin_person_deactivate": View("system_admin", {"pk": "world.staff_a"}, via="accounts:admin_person"),
    "accounts:admin_person_reactivate": View("system_admin", {"pk": "world.staff_a"}, via="accounts:admin_person"),
    "accounts:admin_person_unlock": View("system_admin", {"pk": "world.staff_a"}, via="accounts:admin_person"),
    "accounts:admin_person_phone": View("system_admin", {"pk": "world.staff_a"}, via="accounts:admin_person"),
    "accounts:admin_role_grant": View("security_admin"),
    "accounts:channels": View("counsellor_a"),
    "accounts:admin_channel_edit": View("system_admin", {"pk": "world.school_a", "platform": "wecom"}),
    "accounts:admin_outbox_recall": View(
        "system_admin", {"pk": "invite"}, via="accounts:admin_outbox", fields=("reason",)
    ),
    "accounts:admin_role_revoke": View("system_admin", {"pk": "team_membership"}, fields=("reason",)),
    "audit:verify": View("auditor"),
    "notifications:mark_all_read": View("counsellor_a", via="notifications:inbox"),
    "cases:first_report": View("staff_a"),
    "cases:assess": View("counsellor_a", CASE),
    "cases:transition": View("team_leader_a", CASE, via="cases:detail"),
    "cases:move_request": View("counsellor_a", CASE, fields=("to", "reason", "outcome", "expected_state")),
    "cases:move_request_decide": View("team_leader_a", {"pk": "case", "request_pk": "move_request"},
                                      fields=("decision", "note")),
    "cases:link_student": View("team_leader_a", CASE),
    "cases:break_glass": View("counsellor_a2", CASE, fields=("reason",)),
    "cases:follow_up": View("counsellor_a", CASE),
    "cases:consultation": View("counsellor_a", CASE),
    "cases:plan": View("counsellor_a", CASE),
    "cases:guardian_contact": View("counsellor_a", CASE),
    "cases:referral": View("counsellor_a", CASE),
    "cases:diagnosis": View("counsellor_a", {"pk": "case", "referral_pk": "referral"}),
    "cases:status_event": View("counsellor_a", CASE),
    "cases:aftercare": View("counsellor_a", CASE),
    "cases:disclosure": View("counsellor_a", CASE),
    "cases:task_done": View("counsellor_a", {"pk": "case", "task_pk": "task"}),
    "cases:safety_plan": View("counsellor_a", CASE),
    "cases:safety_plan_signed": View("counsellor_a", {"pk": "case", "version": "plan.version"}),
    "cases:guardian_agreement": View("counsellor_a", CASE),
    "cases:guardian_agreement_signed": View("counsellor_a", {"pk": "case", "agreement_pk": "agreement"}),
    "cases:counselling_note_add": View("counsellor_a", CASE),
    "cases:counselling_share": View("counsellor_a", {"pk": "case", "note_pk": "note"}),
    "cases:assign_counsellor": View("team_leader_a", CASE),
    "cases:add_member": View("team_leader_a", CASE),
    "cases:remove_member": View("team_leader_a", {"pk": "case", "member_pk": "member"}),
    "cases:school_settings": View("team_leader_a", {"pk": "world.school_a"}),
    "cases:plan_template_add": View("team_leader_a", {"pk": "world.school_a"}),
    "cases:plan_template_edit": View("team_leader_a", {"pk": "plan_template"}),
    "cases:plan_template_retire": View("team_leader_a", {"pk": "plan_template"}, via="cases:plan_template_edit"),
    "cases:team_add": View("team_leader_a", {"pk": "world.school_a"}),
    "cases:team_change": View("team_leader_a", {"pk": "team_membership"}),
    "cases:team_remove": View("team_leader_a", {"pk": "team_membership"}, via="cases:team_change"),
    "cases:notice_send": View("counsellor_a", CASE),
    "cases:notice_response": View("counsellor_a", {"pk": "case", "notice_pk": "notice"}),
    "students:add": View("coordinator_a", {"school_pk": "world.school_a"}),
    "students:classes": View("coordinator_a", {"school_pk": "world.school_a"}),
    "students:import": View("coordinator_a", {"school_pk": "world.school_a"}),
    "students:edit": View("coordinator_a", {"pk": "student"}),
    "students:class_edit": View("coordinator_a", {"pk": "school_class"}),
    "dossier:upload": View("counsellor_a", CASE),
    "dossier:generate": View("counsellor_a", CASE, via="dossier:case"),
    "dossier:export": View("team_leader_a", CASE, via="dossier:case"),
    "dossier:letter_template": View("team_leader_a", {"school_pk": "world.school_a", "kind": "letter_kind"}),
    "training:add": View("coordinator_a", {"school_id": "world.school_a"}),
    "reports:create": View("counsellor_a", via="reports:list", fields=("case",)),
    # The editor saves the text on every post, then may refuse to mark it ready (checks fail):
    # the saved draft is the intended outcome, not half of one.
    "reports:edit": View("counsellor_a", {"pk": "report"}, saves_first=("reports_casereport",)),
    "reports:preview": View("counsellor_a", {"pk": "report"}, via="reports:edit"),
    "reports:import": View("counsellor_a", {"pk": "report"}, via="reports:edit"),
    "reports:draft_from_case": View("counsellor_a", {"case_pk": "closed_case"}),
    "campaigns:attachment_add": View("national_admin", {"pk": "campaign"}, via="campaigns:edit"),
    "campaigns:create": View("national_admin"),
    "campaigns:edit": View("national_admin", {"pk": "campaign"}),
    "campaigns:publish": View("national_admin", {"pk": "campaign"}, via="campaigns:edit"),
    "campaigns:start": View("filer_a", {"pk": "campaign"}, via="campaigns:campaign"),
    "campaigns:save_info": View("filer_a", {"pk": "draft"}, via="campaigns:submission"),
    "campaigns:upload_files": View("filer_a", {"pk": "draft"}, via="campaigns:submission"),
    "campaigns:keep_flag": View("filer_a", {"pk": "draft"}, via="campaigns:submission"),
    "campaigns:declare": View("filer_a", {"pk": "draft"}, via="campaigns:submission"),
    "campaigns:submit": View("filer_a", {"pk": "draft"}, via="campaigns:submission"),
    "campaigns:withdraw": View("filer_a", {"pk": "draft"}, via="campaigns:submission"),
    "campaigns:import_filers": View("provincial_admin_a", {"pk": "campaign"}),
    "campaigns:province": View("provincial_admin_a", {"pk": "campaign"}),
    "campaigns:toggle_school": View(
        "provincial_admin_a", {"pk": "campaign", "school_pk": "world.school_a"}, fields=("open",)
    ),
    "campaigns:invite": View("provincial_admin_a", {"pk": "campaign"}, via="campaigns:province"),
    "campaigns:resend_invite": View("provincial_admin_a", {"pk": "campaign", "message_pk": "invite"}),
    "campaigns:toggle_right": View("provincial_admin_a", {"pk": "right"}, fields=("open",)),
    "campaigns:extend": View("provincial_admin_a", {"pk": "right"}, fields=("until", "reason")),
    "campaigns:decide": View("provincial_admin_a", {"pk": "submitted", "decision": "reject"}, fields=("reason",)),
    "campaigns:originality_check": View("national_admin", {"pk": "campaign"}, via="campaigns:originality"),
    "reviews:review": View("reviewer_a", {"pk": "assignment"}),
    "reviews:conflict": View("reviewer_a", {"pk": "assignment"}, via="reviews:review"),
    "reviews:province": View("provincial_admin_b", {"pk": "campaign"}),  # province A has its round
    "reviews:nation": View("national_admin", {"pk": "campaign"}),
    "reviews:auto_assign": View("provincial_admin_a", {"pk": "review_round"}, via="reviews:round"),
    "reviews:assign": View("provincial_admin_a", {"pk": "review_round"}, via="reviews:round"),
    "reviews:stage": View(
        "provincial_admin_a", {"pk": "review_round", "submission_pk": "submitted"}, fields=("decision", "reason")
    ),
    "reviews:publish": View("provincial_admin_a", {"pk": "review_round"}, via="reviews:round"),
    "reviews:close": View("provincial_admin_a", {"pk": "review_round"}, via="reviews:round"),
    "selection:add": View("provincial_admin_a", {"pk": "recommendation"}, fields=("submission",)),
    "selection:remove": View("provincial_admin_a", {"pk": "recommendation"}, fields=("submission",)),
    "selection:generate_table": View("provincial_admin_a", {"pk": "recommendation"}, via="selection:recommendation"),
    "selection:upload_seal": View("provincial_admin_a", {"pk": "recommendation"}, via="selection:recommendation"),
    "selection:submit": View("provincial_admin_a", {"pk": "recommendation"}, via="selection:recommendation"),
    "selection:select": View("national_admin", {"pk": "recommended"}, fields=("reason",)),
    "selection:unselect": View("national_admin", {"pk": "selected"}, fields=("reason",)),
    "selection:commentary": View("national_admin", {"pk": "selected"}),
    "selection:anthology_generate": View("national_admin", {"pk": "campaign"}, via="selection:national"),
    "privacy:rules_edit": View("national_admin"),
    "privacy:children_edit": View("national_admin"),
    "privacy:consent_add": View("counsellor_a", CASE, via="privacy:case_consents"),
    "privacy:basis_change": View("counsellor_a", CASE, via="privacy:case_consents"),
    "privacy:consent_withdraw": View("counsellor_a", {"consent_pk": "consent"}, fields=("note",)),
    "retention:legal_hold": View("team_leader_a", CASE),
    "exports:request_dossier": View("coordinator_a", {"case_pk": "case"}),
    "exports:request_organisation": View("team_leader_a", {"org_pk": "world.school_a", "kind": "student_list"}),
    "exports:decide": View("team_leader_a", {"pk": "export"}, fields=("action", "reason")),
    "exports:download": View("coordinator_a", {"pk": "export"}),
    "alerts:acknowledge": View("team_leader_a", {"pk": "alert"}, via="alerts:list"),
}


def test_every_view_that_accepts_post_is_in_the_table():
    found = post_views()
    assert sorted(set(found) - set(VIEWS)) == [], "a POST view has no entry in VIEWS: add one"
    assert sorted(set(VIEWS) - set(found)) == [], "VIEWS names a URL that no longer accepts POST"


# --- Reading a page's forms ------------------------------------------------------------------------
class _Forms(HTMLParser):
    """The forms of a page and their fields, including fields placed outside with form="id"."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._by_id: dict[str, dict] = {}
        self._current: dict | None = None
        self._select: tuple[dict, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            fields = self._by_id.setdefault(attrs["id"], {}) if attrs.get("id") else {}
            self._current = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": fields,
            }
            self.forms.append(self._current)
            return
        if attrs.get("form"):
            fields = self._by_id.setdefault(attrs["form"], {})
        elif self._current is not None:
            fields = self._current["fields"]
        elif tag == "option" and self._select:
            fields = self._select[0]
        else:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value") or ("on" if kind == "checkbox" else "")
            fields.setdefault(name, {"type": kind, "values": []})["values"].append(value)
        elif tag == "textarea" and name:
            fields.setdefault(name, {"type": "textarea", "values": []})
        elif tag == "select" and name:
            self._select = (fields, name)
            fields.setdefault(name, {"type": "select", "values": []})
        elif tag == "option" and self._select:
            select_fields, select_name = self._select
            select_fields[select_name]["values"].append(attrs.get("value") or "")
        elif tag == "button" and name:
            fields.setdefault(name, {"type": "button", "values": []})["values"].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def form_fields(html: str, action: str, *, own_page: bool) -> dict[str, dict]:
    parser = _Forms()
    parser.feed(html)
    fields: dict[str, dict] = {}
    for form in parser.forms:
        if form["method"] != "post":
            continue
        target = form["action"].split("?")[0]
        if target == action or (own_page and target in ("", ".")):
            for name, info in form["fields"].items():
                if name != "csrfmiddlewaretoken":
                    fields.setdefault(name, info)
    return fields


# --- Hostile values --------------------------------------------------------------------------------
HOSTILE = [
    "",
    " ",
    "x" * 100_000,
    "中" * 100_000,
    "正常文字\x00",
    "\x00",
    "\x01\x02\x08\x0b\x0c\x1b\x1f\x7f",
    "\r\n\r\n",
    "😀👨‍👩‍👧" * 20,
    "\u202e反转文字\u202c",
    "\u200f\u200e\u200b\ufeff",
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "-0.0",
    "1.5",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01T00:00",
    "true",
    "null",
    "[]",
    "{'a': 1}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "13800138000",
    "١٣٨٠٠١٣٨٠٠٠",
    "²",
    "٣",
    "9" * 25,
]
SCALAR = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def _value(info: dict):
    real = [v for v in info["values"] if v]
    choices = [SCALAR, st.lists(SCALAR, min_size=2, max_size=3)]
    if real:
        choices.insert(0, st.sampled_from(real))
    if info["type"] == "file":
        files = st.binary(max_size=2000).map(lambda data: SimpleUploadedFile("文件\x00.docx", data))
        choices.insert(0, files)
    return st.one_of(*choices)


def payloads(fields: dict[str, dict]):
    optional = {name: _value(info) for name, info in fields.items()}
    optional["unexpected_field"] = SCALAR
    return st.fixed_dictionaries({}, optional=optional)


# --- A fingerprint of every table ------------------------------------------------------------------
# Rows that a refusal writes on purpose: the audit trail (refusals are audited), sessions of the
# signing-in client, and the sign-in throttles (a wrong code counts against the phone).
SKIPPED_TABLES = {"audit_auditentry", "django_session", "accounts_ratebucket", "accounts_logincode"}


def fingerprint() -> dict[str, str]:
    """A hash of every row of every table (raw rows: no decryption, no model instances)."""
    prints = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in SKIPPED_TABLES or table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from the schema
            rows = sorted(repr(row) for row in cursor.fetchall())
            prints[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return prints


def _refused(response) -> bool:
    if 400 <= response.status_code < 500:
        return True
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if isinstance(value, (BaseForm, BaseFormSet)) and value.is_bound and value.errors:
                return True
    storage = getattr(response.wsgi_request, "_messages", None)
    levels = {m.level for m in getattr(storage, "_queued_messages", [])}
    return bool(levels) and max(levels) >= message_levels.ERROR and message_levels.SUCCESS not in levels


# --- The fuzzer ----------------------------------------------------------------------------------
def _resolve(scene, path: str):
    value = scene
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return path  # a literal (an enum value in the URL)
    return getattr(value, "pk", value)


def _user(scene, name):
    if name is None:
        return None
    return getattr(scene, name, None) or getattr(scene.world, name)


def _reverse_with_what_fits(name: str, kwargs: dict) -> str:
    """The page showing the form takes the same arguments, only the first, or none."""
    for attempt in (kwargs, {key: kwargs[key] for key in list(kwargs)[:1]}, {}):
        try:
            return reverse(name, kwargs=attempt)
        except NoReverseMatch:
            continue
    raise NoReverseMatch(name)


def _fuzz_one(name: str, view: View, scene, failures: list) -> None:
    kwargs = {key: _resolve(scene, path) for key, path in view.args.items()}
    url = reverse(name, kwargs=kwargs)
    user = _user(scene, view.user)
    client = Client()
    if user is not None:
        client.force_login(user)
    if view.pending_sign_in:
        session = client.session
        session[PENDING_KEY] = _user(scene, view.pending_sign_in).pk
        session.save()
        client.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    fields: dict[str, dict] = {}
    if "GET" in post_views()[name]:
        page = client.get(url)
        if page.status_code != 200:
            failures.append(f"{name}: {view.user} cannot open the page ({page.status_code})")
            return
        fields.update(form_fields(page.content.decode(), url, own_page=True))
    if view.via:
        page = client.get(_reverse_with_what_fits(view.via, kwargs))
        if page.status_code != 200:
            failures.append(f"{name}: {view.user} cannot open {view.via} ({page.status_code})")
            return
        fields.update(form_fields(page.content.decode(), url, own_page=False))
    for extra in view.fields:
        fields.setdefault(extra, {"type": "text", "values": []})
    before = fingerprint()
    texts = [name for name, info in fields.items() if info["type"] != "file"]

    @settings(
        max_examples=EXAMPLES_PER_VIEW,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(payload=payloads(fields))
    @example(payload=dict.fromkeys(fields, "正常文字\x00"))
    @example(payload=dict.fromkeys(fields, "中" * 100_000))
    @example(payload={name: ["1", "\x00", "-1"] for name in fields})
    @example(payload=dict.fromkeys(fields, "9" * 25))
    @example(payload={name: ["²", "١"] for name in fields})
    @example(payload={name: _first_real(fields[name]) + "\x00" for name in texts})
    @example(payload={name: _first_real(fields[name]) for name in texts})
    @example(payload={name: _first_real(fields[name]) or "测试\u202e内容😀" for name in texts})
    @example(payload={name: _first_real(fields[name]) or "中" * 100_000 for name in texts})
    def post(payload):
        savepoint = transaction.savepoint()
        try:
            try:
                response = client.post(url, payload)
            except Exception as exc:  # the test client re-raises what the view raised: a 500
                failures.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]} with {_summary(payload)}")
                return
            if response.status_code >= 500:
                failures.append(f"{name}: status {response.status_code} with {_summary(payload)}")
            elif _refused(response):
                after = fingerprint()
                changed = sorted(t for t in before if before[t] != after[t] and t not in view.saves_first)
                if changed:
                    failures.append(f"{name}: refused but changed {changed} with {_summary(payload)}")
        finally:
            transaction.savepoint_rollback(savepoint)
            client.cookies.clear()  # a sign-out or a new sign-in in the post is rolled back: so is its cookie
            for key, value in cookies.items():
                client.cookies[key] = value

    post()


def _first_real(info: dict) -> str:
    return next((value for value in info["values"] if value), "")


def _summary(payload: dict) -> str:
    def short(value):
        text = repr(value)
        return text if len(text) < 40 else f"{text[:30]}…({len(text)} chars)"

    return "{" + ", ".join(f"{key}={short(value)}" for key, value in payload.items()) + "}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(VIEWS))
def test_hostile_posts_never_give_a_server_error_nor_half_save(name, world, case, campaign, settings, tmp_path):
    # One test per view: each gets its own time budget, and a failure names its view.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    scene = build_scene(world, case, campaign)
    failures: list[str] = []
    _fuzz_one(name, VIEWS[name], scene, failures)
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_fingerprint_sees_any_written_row(world):
    before = fingerprint()
    with transaction.atomic():
        savepoint = transaction.savepoint()
        world.school_a.name += "（改）"
        world.school_a.save(update_fields=["name"])
        assert fingerprint() != before
        transaction.savepoint_rollback(savepoint)
    assert fingerprint() == before


@pytest.mark.django_db
def test_an_unknown_decision_in_the_url_is_a_404_not_a_500(client, world, campaign):
    submission = make_submission(campaign, world.school_a)
    client.force_login(world.provincial_admin_a)
    url = reverse("campaigns:decide", kwargs={"pk": submission.pk, "decision": "approve-all"})
    assert client.post(url, {"reason": "理由写得足够长"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("bad_id", ["²", "١٢", "9" * 25])
def test_ids_in_other_scripts_or_too_large_are_refused_not_crashed(world, case, campaign, settings, tmp_path, bad_id):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    scene = build_scene(world, case, campaign)
    client = Client()
    posts = [
        ("provincial_admin_a", "selection:remove", {"pk": scene.recommendation.pk}, {"submission": bad_id}),
        ("provincial_admin_a", "selection:add", {"pk": scene.recommendation.pk}, {"submission": bad_id}),
        ("provincial_admin_a", "campaigns:invite", {"pk": campaign.pk}, {"right": [bad_id]}),
        ("security_admin", "accounts:admin_role_grant", {}, {"organisation": bad_id, "phone": "13800138000"}),
        ("counsellor_a", "cases:consultation", {"pk": case.pk}, {"attendees": [bad_id], "decisions": "继续观察"}),
    ]
    crashed = []
    for who, name, kwargs, data in posts:
        client.force_login(_user(scene, who))
        try:
            status = client.post(reverse(name, kwargs=kwargs), data).status_code
        except Exception as exc:  # the test client re-raises a view's exception
            status = type(exc).__name__
        if not (isinstance(status, int) and status < 500):
            crashed.append((name, status))
    client.force_login(world.counsellor_a)
    try:
        page = client.get(reverse("dossier:case", kwargs={"pk": case.pk}), {"generated": f"{bad_id},1"}).status_code
    except Exception as exc:  # as above
        page = type(exc).__name__
    assert (crashed, page) == ([], 200)


def test_form_reader_finds_fields_placed_outside_their_form():
    html = (
        '<input type="checkbox" name="right" value="7" form="invite">'
        '<form id="invite" method="post" action="/invite/"><textarea name="note"></textarea></form>'
        '<select name="school" form="invite"><option value="">—</option><option value="3">甲</option></select>'
    )
    fields = form_fields(html, "/invite/", own_page=False)
    assert fields == {
        "right": {"type": "checkbox", "values": ["7"]},
        "note": {"type": "textarea", "values": []},
        "school": {"type": "select", "values": ["", "3"]},
    }
