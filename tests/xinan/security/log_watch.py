"""A watch over every log record of a test run for personal data.

tests/conftest.py installs one handler for the whole run (on the root logger and on the
loggers that do not propagate to it) and lowers the ``xinan`` and ``django`` loggers to DEBUG.
Each record is checked as it is emitted, against patterns (mobile numbers, 18-digit ID
numbers) and against the values the run itself created: the names and phones of the people,
students and guardians saved, and the SMS sign-in codes put in the outbox. Only findings are
kept, with the value masked, so the watch costs next to nothing.

Records are checked before any filter of the logging configuration: the redaction filter of
xinan.web.logging is a last line of defence, and code must not rely on it.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
SIX_DIGITS = re.compile(r"(?<!\d)\d{6}(?!\d)")
CJK_RUN = re.compile(r"[\u3400-\u9fff\u00b7]{2,}")

# Loggers that stop propagation in the settings, so the root handler would not see them.
NON_PROPAGATING = ("django.request", "django.server")
# Made more talkative for the run. Left out: django.db.backends (SQL with parameters, written
# only with DEBUG on, never in production) and django.template (variable lookups, slow).
WATCHED_LOGGERS = ("xinan", "django")
QUIET = {"django.db.backends": logging.INFO, "django.template": logging.INFO}


@dataclass(frozen=True)
class Finding:
    logger: str
    level: str
    kind: str
    masked: str  # the value with all but its edges hidden
    where: str  # module:line of the logging call

    def describe(self) -> str:
        return f"{self.logger} [{self.level}] {self.where}: {self.kind} {self.masked}"


def mask(value: str) -> str:
    if len(value) <= 2:
        return value[:1] + "*"
    keep = 1 if len(value) < 6 else 2
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


class Known:
    """Values the run created that must never appear in a log."""

    def __init__(self):
        self.names: set[str] = set()
        self.phones: set[str] = set()
        self.codes: set[str] = set()
        self._lock = threading.Lock()

    def add(self, kind: str, value) -> None:
        value = str(value or "").strip()
        if len(value) < 2:
            return
        with self._lock:
            getattr(self, kind).add(value)


class LeakWatch(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.known = Known()
        self.findings: list[Finding] = []
        self._saved_levels: dict[str, int] = {}

    # --- checking ---------------------------------------------------------------------
    def check(self, text: str) -> list[tuple[str, str]]:
        """The personal values in ``text`` as (kind, value); empty when it is clean."""
        found = [("mobile number", match.group()) for match in MOBILE.finditer(text)]
        found += [("ID number", match.group()) for match in ID_NUMBER.finditer(text)]
        found += [("phone", phone) for phone in self.known.phones if phone in text]
        for match in SIX_DIGITS.finditer(text):
            if match.group() in self.known.codes:
                found.append(("SMS code", match.group()))
        if self.known.names:
            for run in CJK_RUN.findall(text):
                found += [("name", name) for name in self.known.names if name in run]
        return found

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a malformed call is another test's business
            return
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + str(record.exc_info[1])
        for kind, value in self.check(text):
            self.findings.append(
                Finding(record.name, record.levelname, kind, mask(value), f"{record.module}:{record.lineno}")
            )

    # --- the values the run creates ----------------------------------------------------------
    def remember(self, sender, instance, **kwargs) -> None:
        label = sender._meta.label
        if label in {"accounts.User", "students.Student", "students.Guardian"}:
            self.known.add("names", getattr(instance, "name", ""))
            self.known.add("phones", getattr(instance, "phone", ""))
        elif label == "notifications.Message" and getattr(instance, "template", "") == "login_code":
            self.known.add("phones", instance.to_address)
            for code in SIX_DIGITS.findall(instance.body or ""):
                self.known.add("codes", code)

    # --- installing -----------------------------------------------------------------------------
    def install(self) -> None:
        from django.db.models.signals import post_save

        logging.getLogger().addHandler(self)
        for name in NON_PROPAGATING:
            logging.getLogger(name).addHandler(self)
        for name in (*WATCHED_LOGGERS, *QUIET):
            self._saved_levels[name] = logging.getLogger(name).level
        for name in WATCHED_LOGGERS:
            logging.getLogger(name).setLevel(logging.DEBUG)
        for name, level in QUIET.items():
            logging.getLogger(name).setLevel(level)
        # The settings' console handler must not start printing the DEBUG records now let through.
        self._quietened = []
        for handler in logging.getLogger().handlers:
            if handler is not self and handler.level < logging.WARNING:
                self._quietened.append((handler, handler.level))
                handler.setLevel(max(logging.getLogger().level, logging.WARNING))
        post_save.connect(self.remember, dispatch_uid="xinan-log-watch", weak=False)

    def ensure_installed(self) -> None:
        """Put the handlers back if a test reconfigured logging (dictConfig replaces the root's)."""
        for name in ("", *NON_PROPAGATING):
            logger = logging.getLogger(name)
            if self not in logger.handlers:
                logger.addHandler(self)

    def uninstall(self) -> None:
        from django.db.models.signals import post_save

        post_save.disconnect(dispatch_uid="xinan-log-watch")
        logging.getLogger().removeHandler(self)
        for name in NON_PROPAGATING:
            logging.getLogger(name).removeHandler(self)
        for name, level in self._saved_levels.items():
            logging.getLogger(name).setLevel(level)
        for handler, level in self._quietened:
            handler.setLevel(level)


def report(findings: list[Finding], limit: int = 20) -> list[str]:
    """Lines for the terminal: where each leak came from, never the value in full."""
    lines = [f"Personal data in {len(findings)} log record(s) of this run:"]
    lines += [f"  {finding.describe()}" for finding in findings[:limit]]
    if len(findings) > limit:
        lines.append(f"  … and {len(findings) - limit} more")
    return lines
