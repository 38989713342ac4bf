"""Fixtures of the accounts tests: the three-duty people of the standard world."""

from __future__ import annotations

import pytest

from tests.factories import person
from tests.xinan.accounts.admin_helpers import Duties
from tests.xinan.notifications.provider_fixtures import wecom  # noqa: F401 - registered by import (outbox recall)
from xinan.organisations.enums import Role


@pytest.fixture
def duties(world) -> Duties:
    return Duties(
        system_admin_nation=person(Role.SYSTEM_ADMIN, world.nation),
        system_admin_a=person(Role.SYSTEM_ADMIN, world.province_a),
        system_admin_b=person(Role.SYSTEM_ADMIN, world.province_b),
        security_admin_nation=person(Role.SECURITY_ADMIN, world.nation),
        security_admin_a=person(Role.SECURITY_ADMIN, world.province_a),
        security_admin_b=person(Role.SECURITY_ADMIN, world.province_b),
        auditor_a=person(Role.AUDITOR, world.province_a),
    )
