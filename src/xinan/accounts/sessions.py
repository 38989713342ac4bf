"""The session store: Django's database sessions, keyed by a digest of the session key.

The browser holds the session key; the table holds only ``HMAC(secret, key)``. A copy of the
database (a backup, a stolen file) then gives no cookie that signs anyone in: the digest cannot
be turned back into a key without the secret, which lives outside the database
(``XINAN_SECRET_KEY`` or the data folder's ``secret_key``). Everything else is Django's.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib.sessions.backends import db

DIGEST_LENGTH = 40  # the width of django_session.session_key: 160 bits of HMAC-SHA256


def stored_key(session_key: str) -> str:
    """What the table keeps for the session key the browser holds."""
    secret = hashlib.sha256(f"xinan.session-key:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(secret, session_key.encode(), hashlib.sha256).hexdigest()[:DIGEST_LENGTH]


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if self.session_key is None:
            return None
        return self._with_stored_key(super()._get_session_from_db)

    async def _aget_session_from_db(self):
        if self.session_key is None:
            return None
        browser_key = self.session_key
        self._session_key = stored_key(browser_key)
        try:
            found = await super()._aget_session_from_db()
        finally:
            self._session_key = browser_key if self._session_key is not None else None
        return found

    def _with_stored_key(self, read):
        """Run ``read`` (which looks up ``self.session_key``) with the digest in its place;
        a key that was not found stays cleared, as Django's own store does."""
        browser_key = self.session_key
        self._session_key = stored_key(browser_key)
        try:
            found = read()
        finally:
            self._session_key = browser_key if self._session_key is not None else None
        return found

    def exists(self, session_key):
        return super().exists(stored_key(session_key))

    async def aexists(self, session_key):
        return await super().aexists(stored_key(session_key))

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.session_key = stored_key(instance.session_key)
        return instance

    async def acreate_model_instance(self, data):
        instance = await super().acreate_model_instance(data)
        instance.session_key = stored_key(instance.session_key)
        return instance

    def delete(self, session_key=None):
        session_key = session_key if session_key is not None else self.session_key
        if session_key is not None:
            super().delete(stored_key(session_key))

    async def adelete(self, session_key=None):
        session_key = session_key if session_key is not None else self.session_key
        if session_key is not None:
            await super().adelete(stored_key(session_key))
