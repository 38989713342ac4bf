from __future__ import annotations

import hashlib
import hmac
import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _key_file() -> Path:
    return Path(settings.DATA_DIR) / "encryption_keys"


def _generated_keys() -> list[str]:
    path = _key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(Fernet.generate_key().decode() + "\n")
    return [line.strip() for line in path.read_text(encoding="ascii").splitlines() if line.strip()]


@cache
def configured_keys() -> tuple[bytes, ...]:
    raw = settings.ENCRYPTION_KEYS or _generated_keys()
    keys = []
    for item in raw:
        try:
            Fernet(item.encode())
        except ValueError as exc:
            raise ImproperlyConfigured("XINAN_ENCRYPTION_KEYS holds a value that is not a Fernet key") from exc
        keys.append(item.encode())
    if not keys:
        raise ImproperlyConfigured("no encryption key configured")
    return tuple(keys)


@cache
def fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in configured_keys()])


@cache
def primary_fernet() -> Fernet:
    """The first key alone: a token it can decrypt is already under the current key."""
    return Fernet(configured_keys()[0])


def key_id(key: bytes) -> str:
    """A short, non-secret fingerprint of one key (safe to print, log or write into a manifest)."""
    return hashlib.sha256(key).hexdigest()[:8]


def primary_key_id() -> str:
    """A short, non-secret fingerprint of the key that encrypts new values."""
    return key_id(configured_keys()[0])


def key_ids() -> list[str]:
    """The fingerprints of every configured key, the encrypting one first."""
    return [key_id(key) for key in configured_keys()]


def existing_key_ids() -> list[str]:
    """The fingerprints of the configured keys, without generating a key file when there is none
    (a restore must not invent a key the backup's values were never encrypted with)."""
    if settings.ENCRYPTION_KEYS:
        return key_ids()
    path = _key_file()
    if not path.exists():
        return []
    return [key_id(line.strip().encode()) for line in path.read_text(encoding="ascii").splitlines() if line.strip()]


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def blind_index(kind: str, value: str) -> str:
    """A keyed digest for exact-match lookups of an encrypted value (e.g. a student number).

    Keyed by the secret key, not an encryption key, so it survives encryption-key rotation;
    after a secret-key change, ``xinan rotate_keys`` recomputes it from the decrypted values.
    """
    normalised = " ".join(value.split()).casefold()
    mac = hmac.new(settings.SECRET_KEY.encode(), f"blind:{kind}:{normalised}".encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def reset_cache() -> None:
    configured_keys.cache_clear()
    fernet.cache_clear()
    primary_fernet.cache_clear()
