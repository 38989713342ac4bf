"""Files encrypted at rest: checksum of the plaintext, Fernet token on disk or in S3."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from xinan.crypto.keys import fernet, primary_fernet

logger = logging.getLogger(__name__)

# Left behind only if a re-encryption was interrupted between writing and renaming.
PARTIAL_PREFIX = ".rewrite-"


class ChecksumMismatch(Exception):
    """A stored file no longer matches the checksum taken when it was stored."""


class StorageUnavailable(OSError):
    """The file storage (local folder or S3) could not take or give a file: unreachable, refusing,
    full. Nothing was stored. An OSError, so the callers that already treat an unreadable file as
    a notice (a missing file on disk is one) treat an unreachable store the same way."""

    message = _("文件存储暂时不可用，刚才的文件没有保存，请稍后再试。")


def _storage_errors() -> tuple[type[BaseException], ...]:
    """What the storage backends raise when the store fails: OSError (a local folder), botocore's
    errors (S3; boto3 is only imported when the S3 storage is used)."""
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - boto3 is in the lock
        return (OSError,)
    return (OSError, BotoCoreError, ClientError)


@dataclass(frozen=True)
class StoredFile:
    name: str  # the storage name: random, says nothing about the content
    sha256: str  # of the plaintext
    size: int


def store_encrypted(data: bytes, *, folder: str) -> StoredFile:
    digest = hashlib.sha256(data).hexdigest()
    token = fernet().encrypt(data)
    try:
        name = default_storage.save(f"{folder}/{secrets.token_hex(16)}.bin", ContentFile(token))
    except _storage_errors() as exc:
        # No name came back, so no row can point at whatever the store kept of it (an S3 PUT
        # stores the whole object or nothing).
        logger.warning("file storage refused a write (%s)", type(exc).__name__)
        raise StorageUnavailable(str(StorageUnavailable.message)) from exc
    return StoredFile(name=name, sha256=digest, size=len(data))


def read_encrypted(name: str, *, sha256: str) -> bytes:
    try:
        with default_storage.open(name, "rb") as handle:
            token = handle.read()
    except OSError:
        raise  # a missing local file stays a FileNotFoundError for the callers that tell it apart
    except _storage_errors() as exc:
        logger.warning("file storage refused a read (%s)", type(exc).__name__)
        raise StorageUnavailable(str(StorageUnavailable.message)) from exc
    data = fernet().decrypt(token)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ChecksumMismatch(name)
    return data


def delete_stored(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


def stored_names(storage=None) -> Iterator[str]:
    """Every file name in the storage (local folder or bucket), folders walked recursively."""
    storage = storage or default_storage

    def walk(folder: str) -> Iterator[str]:
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        for name in sorted(files):
            if not name.startswith(PARTIAL_PREFIX):
                yield f"{folder}/{name}" if folder else name
        for sub in sorted(folders):
            yield from walk(f"{folder}/{sub}" if folder else sub)

    yield from walk("")


def is_current_token(token: bytes) -> bool:
    """The token is under the first key (the one that encrypts new files)."""
    try:
        primary_fernet().decrypt(token)
    except InvalidToken:
        return False
    return True


def overwrite_stored(name: str, data: bytes, storage=None) -> None:
    """Replace a stored file's bytes in one step: readers see the old bytes or the new, never a part.

    A local folder gets a temporary file beside the original, synced, then renamed over it (same
    permissions); an object store replaces the object with one upload (a PUT is atomic there).
    """
    storage = storage or default_storage
    try:
        path = storage.path(name)
    except NotImplementedError:
        with storage.open(name, "wb") as handle:
            handle.write(data)
        return
    mode = stat.S_IMODE(os.stat(path).st_mode)
    fd, partial = tempfile.mkstemp(dir=os.path.dirname(path), prefix=PARTIAL_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(partial, mode)
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
        raise


def reencrypt_stored(name: str) -> bool:
    """Re-write a stored file under the first key; False when it already was.

    The plaintext is unchanged, so the checksum kept with the file's row stays valid (it is
    checked here before the new bytes replace the old). InvalidToken when no key opens it.
    """
    with default_storage.open(name, "rb") as handle:
        token = handle.read()
    if is_current_token(token):
        return False
    plaintext = fernet().decrypt(token)
    rotated = primary_fernet().encrypt(plaintext)
    if primary_fernet().decrypt(rotated) != plaintext:
        raise ChecksumMismatch(name)
    overwrite_stored(name, rotated)
    return True
