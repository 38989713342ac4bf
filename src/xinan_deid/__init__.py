"""XinAn de-identification engine (pure Python, no Django).

    >>> from xinan_deid import detect, apply_replacements
    >>> flags = detect("学生张伟的电话是13800138000。")
    >>> [(f.kind.value, f.text) for f in flags]
    [('person_name', '张伟'), ('phone', '13800138000')]

``detect`` uses a process-wide :class:`Engine` created on first use; create
your own ``Engine()`` to control when the data files are loaded.
"""

from __future__ import annotations

from .engine import Engine, id_checksum_ok
from .replacements import Edit, Replaced, apply_replacements, replace, undo
from .types import DELETED, PSEUDONYM_MARK, Flag, Kind, Severity

__all__ = [
    "DELETED",
    "PSEUDONYM_MARK",
    "Edit",
    "Engine",
    "Flag",
    "Kind",
    "Replaced",
    "Severity",
    "apply_replacements",
    "default_engine",
    "detect",
    "detect_fast",
    "id_checksum_ok",
    "replace",
    "undo",
]

_default: Engine | None = None


def default_engine() -> Engine:
    """The shared engine, loaded on first call."""
    global _default
    if _default is None:
        _default = Engine()
    return _default


def detect(text: str) -> list[Flag]:
    """Flags of every span of ``text`` that could identify a person (the full pipeline).

    Sorted by ``start``, non-overlapping; offsets index the original string. Uses the
    learned name tagger where it is installed (``Engine.has_model``), the rules always.
    """
    return default_engine().detect(text)


def detect_fast(text: str) -> list[Flag]:
    """Rules only: the same flags as ``detect`` but for names only the model finds.

    About ten times faster; for feedback while the author types, never for the final check.
    """
    return default_engine().detect_fast(text)
