"""Model fields whose values are stored encrypted (Fernet tokens, base64 text)."""

from __future__ import annotations

import datetime as dt
import json

from cryptography.fernet import InvalidToken
from django.db import models

from xinan.crypto.keys import fernet, primary_fernet

PREFIX = "enc1:"


def encrypt_text(value: str) -> str:
    return PREFIX + fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption was enabled; re-encrypted by rotate_keys
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("cannot decrypt a stored value: is the right XINAN_ENCRYPTION_KEYS set?") from exc


def is_current(stored: str) -> bool:
    """The stored value is a token under the first key (the one that encrypts new values)."""
    if not stored.startswith(PREFIX):
        return False
    try:
        primary_fernet().decrypt(stored[len(PREFIX) :].encode("ascii"))
    except InvalidToken:
        return False
    return True


def reencrypt_text(stored: str) -> str:
    """The stored value as a token under the first key, same plaintext; a value written before
    encryption was enabled is encrypted. ValueError when no configured key opens it."""
    if not stored.startswith(PREFIX):
        return encrypt_text(stored)
    try:
        token = fernet().rotate(stored[len(PREFIX) :].encode("ascii"))
    except InvalidToken as exc:
        raise ValueError("cannot decrypt a stored value: is the right XINAN_ENCRYPTION_KEYS set?") from exc
    return PREFIX + token.decode("ascii")


class EncryptedTextField(models.TextField):
    """Text encrypted at rest. Not searchable: pair with a blind index when lookups are needed."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))


class EncryptedCharField(EncryptedTextField):
    """A short encrypted value with a form max_length (the stored token is longer)."""

    def __init__(self, *args, form_max_length: int = 100, **kwargs):
        self.form_max_length = form_max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["form_max_length"] = self.form_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"form_class": forms.CharField, "max_length": self.form_max_length, **kwargs})


class EncryptedDateField(models.TextField):
    """A date encrypted at rest (birth dates)."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return None
        return dt.date.fromisoformat(decrypt_text(value))

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, dt.date):
            return value or None
        return dt.date.fromisoformat(str(value))

    def get_prep_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        return encrypt_text(value.isoformat())

    def formfield(self, **kwargs):
        from django import forms

        # Skip TextField.formfield, which would add a max_length that DateField does not take.
        return models.Field.formfield(
            self, **{"form_class": forms.DateField, "widget": forms.DateInput(attrs={"type": "date"}), **kwargs}
        )


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (dict, list, str, number) encrypted at rest as one token. Not queryable by key."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return json.loads(decrypt_text(value))

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)

    def formfield(self, **kwargs):
        return None  # edited through services only


# Every field class whose column holds ``encrypt_text`` tokens (``xinan rotate_keys`` finds them by class).
ENCRYPTED_FIELD_CLASSES = (EncryptedTextField, EncryptedDateField)
