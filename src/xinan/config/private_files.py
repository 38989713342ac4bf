"""Owner-only places on disk: the data folder and the embedded SQLite database (issue 13.6).

The data folder holds the database file, the uploaded files and the generated secret key; none
of it is for other accounts of the machine. A folder XinAn creates is 0700; an existing one is
left as the operator made it (they may let a web server read ``static/`` inside it). The SQLite
file, with its ``-wal`` and ``-shm`` companions (SQLite gives them the database file's mode), is
always 0600, created so before SQLite first opens it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def private_directory(path: Path) -> Path:
    """Create ``path`` (and its parents) with the folder itself 0700, when it does not exist."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another process made it first
            path.mkdir(mode=0o700)
            os.chmod(path, 0o700)  # whatever the umask
    return path


def private_sqlite_file(path: Path) -> Path:
    """Create the database file empty (a valid empty SQLite database) with mode 0600 if it does not
    exist, and take group and other access away from it and its companions if it does."""
    private_directory(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for suffix in SQLITE_COMPANIONS:
        companion = Path(f"{path}{suffix}")
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if companion.stat().st_mode & 0o077:
                os.chmod(companion, 0o600)
    return path
