"""The access matrix's world, built once per module inside a transaction that is rolled back at the
end, and one signed-in test client per role; the matrix's size and result in the terminal summary."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from tests.xinan.access.matrix import RESULTS
from tests.xinan.access.objects import Objects, build_objects


@dataclass
class Matrix:
    objects: Objects
    clients: dict  # role → (client, session key or None)
    counted: dict = field(default_factory=dict)  # url name → number of checked cells


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            objects = build_objects()
            clients = {"anonymous": (Client(raise_request_exception=False), None)}
            for role, user in objects.people.items():
                client = Client(raise_request_exception=False)
                client.force_login(user)
                clients[role] = (client, client.cookies[settings.SESSION_COOKIE_NAME].value)
            yield Matrix(objects, clients)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- The summary line (printed by the root conftest, which also runs on the xdist controller) ---


def pytest_sessionfinish(session, exitstatus):
    if hasattr(session.config, "workeroutput"):  # an xdist worker hands its counts to the controller
        session.config.workeroutput["xinan_access_matrix"] = dict(RESULTS)
