"""Secrets generated once into the data directory when the environment gives none.

A single-school deployment on SQLite must run with zero configuration, yet must
never share a secret key with another installation. The key is created with
0600 permissions on first start and reused afterwards.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from xinan.config.private_files import private_directory


def read_or_create_secret(path: Path, *, nbytes: int = 50) -> str:
    try:
        existing = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        return existing
    private_directory(path.parent)
    value = secrets.token_urlsafe(nbytes)
    # O_EXCL: if two processes start at once, one writes and the other reads it back.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value)
    return value
