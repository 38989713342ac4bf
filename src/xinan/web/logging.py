"""A last line of defence: scrub anything shaped like personal data from log lines.

Code must not log personal data in the first place; this filter catches
mistakes (and third-party messages) before they reach a log file.
"""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    (re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)"), "[phone]"),
    (re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"), "[id]"),
    (re.compile(r"(?<![0-9A-Za-z])\d{6}(?![0-9A-Za-z])"), "[digits]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[email]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


_formatter = logging.Formatter()


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not break the request
            return True
        record.msg, record.args = redact(message), None
        # A traceback ends with the exception's message, and a database error repeats the
        # values it refused ("Key (phone)=(...) already exists"): the formatter prints
        # ``exc_text`` when it is set, so set it, redacted.
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
