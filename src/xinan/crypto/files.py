"""Files encrypted at rest: checksum of the plaintext, Fernet token on disk or in S3."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from xinan.crypto.keys import fernet


class ChecksumMismatch(Exception):
    """A stored file no longer matches the checksum taken when it was stored."""


@dataclass(frozen=True)
class StoredFile:
    name: str  # the storage name: random, says nothing about the content
    sha256: str  # of the plaintext
    size: int


def store_encrypted(data: bytes, *, folder: str) -> StoredFile:
    digest = hashlib.sha256(data).hexdigest()
    token = fernet().encrypt(data)
    name = default_storage.save(f"{folder}/{secrets.token_hex(16)}.bin", ContentFile(token))
    return StoredFile(name=name, sha256=digest, size=len(data))


def read_encrypted(name: str, *, sha256: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        data = fernet().decrypt(handle.read())
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ChecksumMismatch(name)
    return data


def delete_stored(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)
