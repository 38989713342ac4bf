"""Chinese labels for audit actions, registered by each app from its AppConfig.ready().

The audit app sits below the apps whose actions it records, so it cannot import their
enums; they tell it instead. An action with no label is shown by its dotted name.
"""

from __future__ import annotations

from collections.abc import Iterable

_LABELS: dict[str, str] = {}


def register_labels(choices: Iterable[tuple[str, str]]) -> None:
    for action, label in choices:
        _LABELS[str(action)] = label


def label_for(action: str) -> str:
    return str(_LABELS.get(action, ""))
