"""Encryption-key rotation: re-encrypt every stored value and file under the first key, and
recompute the blind indexes (keyed by the secret key) from the decrypted values.

Everything works in small steps while the platform runs: values are read in batches outside any
transaction, and each row is written in its own short transaction with a compare-and-swap on the
old stored value, so a row a user changed in between is left as the user wrote it (the
application already encrypts with the first key). Nothing here ever prints or logs a value.
Running it again continues where it stopped: what is already under the first key is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import connection, transaction

from xinan.crypto.fields import ENCRYPTED_FIELD_CLASSES, PREFIX, is_current, reencrypt_text
from xinan.crypto.files import ChecksumMismatch, is_current_token, reencrypt_stored, stored_names
from xinan.crypto.keys import blind_index, fernet
from xinan.notifications.models.message import address_index
from xinan.reports.enums import FlagDecisionKind
from xinan.reports.services.documents import fingerprint

BATCH_SIZE = 500


# --- Discovery ------------------------------------------------------------------------------
@dataclass(frozen=True)
class EncryptedTable:
    label: str  # app_label.Model
    table: str
    pk_column: str
    columns: tuple[str, ...]  # the database columns of the encrypted fields


def encrypted_tables() -> list[EncryptedTable]:
    """Every table with an encrypted column, found by field class over all installed models."""
    existing = set(connection.introspection.table_names())
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table not in existing:
            continue
        columns = tuple(f.column for f in meta.local_concrete_fields if isinstance(f, ENCRYPTED_FIELD_CLASSES))
        if columns:
            found.append(EncryptedTable(meta.label, meta.db_table, meta.pk.column, columns))
    return sorted(found, key=lambda t: t.label)


def _batches(table: str, columns: tuple[str, ...], pk_column: str, batch_size: int) -> Iterator[list[tuple]]:
    qn = connection.ops.quote_name
    selected = ", ".join(qn(c) for c in (pk_column, *columns))
    last = None
    while True:
        where, params = "", []
        if last is not None:
            where, params = f"WHERE {qn(pk_column)} > %s ", [last]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {selected} FROM {qn(table)} {where}ORDER BY {qn(pk_column)} LIMIT %s",  # noqa: S608 - quoted names
                [*params, batch_size],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


# --- Counts ---------------------------------------------------------------------------------
@dataclass
class TableCounts:
    label: str
    current: int = 0  # values already under the first key
    stale: int = 0  # under an older key (or, with plaintext, not encrypted at all)
    plaintext: int = 0  # written before encryption was enabled
    unreadable: int = 0  # no configured key opens it
    rotated: int = 0
    changed_meanwhile: int = 0  # the row changed between read and write; left as the user wrote it


@dataclass
class FileCounts:
    current: int = 0
    stale: int = 0
    unreadable: int = 0
    rotated: int = 0
    vanished: int = 0  # deleted between listing and re-writing


@dataclass
class IndexCounts:
    label: str
    current: int = 0
    stale: int = 0
    unreadable: int = 0  # the values they are computed from cannot be decrypted
    recomputed: int = 0
    changed_meanwhile: int = 0


@dataclass
class Report:
    tables: list[TableCounts] = field(default_factory=list)
    files: FileCounts = field(default_factory=FileCounts)
    indexes: list[IndexCounts] = field(default_factory=list)

    # Meaningful for a check (a run that rotates reports what it found, then is checked again).
    @property
    def values_outstanding(self) -> int:
        return sum(t.stale + t.unreadable for t in self.tables)

    @property
    def files_outstanding(self) -> int:
        return self.files.stale + self.files.unreadable

    @property
    def indexes_outstanding(self) -> int:
        return sum(i.stale + i.unreadable for i in self.indexes)

    @property
    def unreadable(self) -> int:
        return sum(t.unreadable for t in self.tables) + self.files.unreadable + sum(i.unreadable for i in self.indexes)


# --- Values ---------------------------------------------------------------------------------
def _classify(stored: str, counts: TableCounts) -> bool:
    """Count one stored value; True when it needs re-encrypting."""
    if is_current(stored):
        counts.current += 1
        return False
    counts.stale += 1
    if not stored.startswith(PREFIX):
        counts.plaintext += 1
    return True


def process_table(table: EncryptedTable, *, rotate: bool, batch_size: int = BATCH_SIZE) -> TableCounts:
    counts = TableCounts(table.label)
    qn = connection.ops.quote_name
    for rows in _batches(table.table, table.columns, table.pk_column, batch_size):
        for pk, *values in rows:
            changes = []
            for column, stored in zip(table.columns, values, strict=True):
                if stored is None or stored == "" or not _classify(stored, counts):
                    continue
                try:
                    changes.append((column, stored, reencrypt_text(stored)))
                except ValueError:
                    counts.unreadable += 1
                    counts.stale -= 1
            if not rotate or not changes:
                continue
            assignments = ", ".join(f"{qn(column)} = %s" for column, _, _ in changes)
            guards = " AND ".join(f"{qn(column)} = %s" for column, _, _ in changes)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {qn(table.table)} SET {assignments} WHERE {qn(table.pk_column)} = %s AND {guards}",  # noqa: S608
                    [*(new for _, _, new in changes), pk, *(old for _, old, _ in changes)],
                )
                written = cursor.rowcount
            if written:
                counts.rotated += len(changes)
            else:
                counts.changed_meanwhile += len(changes)
    return counts


# --- Files ----------------------------------------------------------------------------------
def process_files(*, rotate: bool) -> FileCounts:
    from django.core.files.storage import default_storage

    counts = FileCounts()
    for name in stored_names():
        try:
            with default_storage.open(name, "rb") as handle:
                token = handle.read()
        except FileNotFoundError:
            counts.vanished += 1
            continue
        if is_current_token(token):
            counts.current += 1
            continue
        counts.stale += 1
        if not rotate:
            try:
                fernet().decrypt(token)
            except InvalidToken:
                counts.unreadable += 1
                counts.stale -= 1
            continue
        try:
            if reencrypt_stored(name):
                counts.rotated += 1
        except FileNotFoundError:
            counts.vanished += 1
            counts.stale -= 1
        except (InvalidToken, ChecksumMismatch):
            counts.unreadable += 1
            counts.stale -= 1
    return counts


# --- Blind indexes --------------------------------------------------------------------------
@dataclass(frozen=True)
class BlindIndexSource:
    """Where blind indexes are stored, and how to compute them from a row's decrypted values."""

    label: str
    fields: tuple[str, ...]  # the model fields read (besides pk and the index fields)
    index_fields: tuple[str, ...]
    compute: Callable[[object], dict[str, str]]
    filter: dict = field(default_factory=dict)
    exclude: dict = field(default_factory=dict)


def _student_indexes(student) -> dict[str, str]:
    return {
        "name_index": blind_index("student-name", student.name),
        "number_index": blind_index("student-number", student.student_number) if student.student_number else "",
    }


def _message_index(message) -> dict[str, str]:
    return {"to_index": address_index(message.to_address)}


def _flag_fingerprint(decision) -> dict[str, str]:
    return {"fingerprint": fingerprint(decision.kind, decision.kept_text)}


def blind_index_sources() -> list[BlindIndexSource]:
    """Every stored blind index. A kept flag's fingerprint is computed from the text kept with
    it; an applied replacement's fingerprint cannot be (the text is gone by design) and is only
    a record, never looked up, so it is left as it is."""
    return [
        BlindIndexSource(
            "students.Student", ("name", "student_number"), ("name_index", "number_index"), _student_indexes
        ),
        BlindIndexSource(
            "reports.FlagDecision",
            ("kind", "kept_text"),
            ("fingerprint",),
            _flag_fingerprint,
            filter={"decision": FlagDecisionKind.DISMISSED},
            exclude={"kept_text": ""},
        ),
        BlindIndexSource("notifications.Message", ("to_address",), ("to_index",), _message_index),
    ]


# The kinds passed to ``blind_index`` that the sources above cover (a test keeps this complete).
BLIND_INDEX_KINDS = frozenset({"student-name", "student-number", "report-flag", "outbox-address"})


def process_indexes(source: BlindIndexSource, *, rotate: bool, batch_size: int = BATCH_SIZE) -> IndexCounts:
    model = apps.get_model(source.label)
    counts = IndexCounts(source.label)
    base = model._base_manager.filter(**source.filter).exclude(**source.exclude)
    base = base.only("pk", *source.fields, *source.index_fields)
    last = None
    while True:
        batch = base.order_by("pk")
        if last is not None:
            batch = batch.filter(pk__gt=last)
        pks = list(batch.values_list("pk", flat=True)[:batch_size])
        if not pks:
            return counts
        try:
            rows = list(base.filter(pk__in=pks).order_by("pk"))
        except ValueError:  # a value no configured key opens: go row by row to find it
            rows = []
            for pk in pks:
                try:
                    rows.append(base.get(pk=pk))
                except ValueError:
                    counts.unreadable += 1
                except model.DoesNotExist:
                    pass
        for row in rows:
            expected = source.compute(row)
            stored = {name: getattr(row, name) for name in source.index_fields}
            if stored == expected:
                counts.current += 1
                continue
            counts.stale += 1
            if rotate:
                with transaction.atomic():
                    written = model._base_manager.filter(pk=row.pk, **stored).update(**expected)
                if written:
                    counts.recomputed += 1
                else:
                    counts.changed_meanwhile += 1
        last = pks[-1]


# --- The whole run --------------------------------------------------------------------------
def run(*, rotate: bool, files: bool = True, batch_size: int = BATCH_SIZE, progress=None) -> Report:
    """Check (``rotate=False``) or rotate everything; ``progress`` is called with each table's counts."""
    report = Report()
    for table in encrypted_tables():
        counts = process_table(table, rotate=rotate, batch_size=batch_size)
        report.tables.append(counts)
        if progress:
            progress(counts)
    for source in blind_index_sources():
        counts = process_indexes(source, rotate=rotate, batch_size=batch_size)
        report.indexes.append(counts)
        if progress:
            progress(counts)
    if files:
        report.files = process_files(rotate=rotate)
        if progress:
            progress(report.files)
    return report
