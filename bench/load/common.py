"""What the seed and the load users agree on (no Django here: the locustfile imports it)."""

from __future__ import annotations

FILERS = 200  # one per generated school, each with a filing right in the load campaign
CASE_SCHOOLS = 10  # the first schools also get a team leader, a counsellor and open cases
CASES_PER_SCHOOL = 5
FILER_PHONE_BASE = 13901000000  # generated numbers, beside the demo's 139000… range
LEADER_PHONE_BASE = 13902000000
COUNSELLOR_PHONE_BASE = 13903000000
STAFF_PASSWORD = "load-password-2026"  # noqa: S105 - generated load-test accounts only
CAMPAIGN_TITLE = "（负载测试）高校学生心理危机干预案例报告征集"


def filer_phone(n: int) -> str:
    return str(FILER_PHONE_BASE + n)


def leader_phone(n: int) -> str:
    return str(LEADER_PHONE_BASE + n)


def counsellor_phone(n: int) -> str:
    return str(COUNSELLOR_PHONE_BASE + n)
