"""Fuzzing every parser and validator with hypothesis: damaged files, hostile text, control
characters, other scripts' digits. Each raises only its documented error, never anything else.

Extends (does not repeat) the property tests of tests/xinan_reportformat (random bytes behind a
magic number, parse never raises), tests/xinan_deid (generated names, phones and ID numbers found
at exact offsets), tests/xinan/accounts/test_validators.py (normalise_phone on random text) and
tests/xinan/students/test_importing.py (validate_row on random cells). Here the inputs are
mutations of real files and text built from the engines' own trigger words.
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests.campaign_fixtures import REPORT_TEXT
from xinan.accounts.validators import normalise_phone, validate_phone
from xinan.campaigns.services import filer_import
from xinan.spreadsheets import ImportFileError, cell_text, read_rows
from xinan.students.services import importing as student_import
from xinan_deid import DELETED, apply_replacements, detect, id_checksum_ok
from xinan_deid.engine import id_check_char
from xinan_deid.types import PSEUDONYM_KINDS
from xinan_reportformat import (
    DocumentReadError,
    count_all_chars,
    count_chars,
    count_report_chars,
    parse_document,
    parse_subtitle,
    parse_text,
    to_docx,
    to_pdf,
)

fuzz = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

# Any character but lone surrogates (which no str from a request or a file can hold): controls,
# NUL, bidirectional marks, emoji, other scripts' digits all included.
ANY_CHAR = st.characters(exclude_categories=("Cs",))
HOSTILE = [
    "\x00",
    "\x07",
    "\x1b[31m",
    "\u202e",
    "\u200f",
    "\u200b",
    "\ufeff",
    "\u3000",
    "\r\n",
    "\f",
    "😀",
    "👨‍👩‍👧",
    "١٣٨",
    "１３８",
    "²",
    "%s",
    "{0}",
    "<script>",
    "'; --",
]
TRIGGERS = [
    "张伟",
    "李明同学",
    "小李",
    "王老师",
    "13800138000",
    "+86 138 0013 8000",
    "010-62345678",
    "110101199003074578",
    "11010119900307457X",
    "QQ：12345678",
    "微信号：abc_123",
    "a@b.cn",
    "北京大学",
    "心理学院",
    "市第一人民医院",
    "2024级3班",
    "2024年3月5日",
    "朝阳区建国路1号",
    "某大学",
    DELETED,
    "（化名）",
    "一、",
    "——",
    "一例由学业挫折引发的自我伤害危机的干预报告",
]
TEXT = st.one_of(
    st.text(alphabet=ANY_CHAR, max_size=300),
    st.lists(st.one_of(st.sampled_from(TRIGGERS + HOSTILE), st.text(alphabet=ANY_CHAR, max_size=6)), max_size=60).map(
        "".join
    ),
)


# --- Phone numbers and resident ID numbers ------------------------------------------------------
PHONE_PARTS = ["+", "86", "0086", "1", "3", "8", "0", "9", " ", "-", "(", ")", "（", "）", ".", "·"]
PHONE_PARTS += ["１", "٣", "²", "\x00"]
PHONEISH = st.lists(st.sampled_from(PHONE_PARTS), max_size=20).map("".join)


@fuzz
@given(st.one_of(PHONEISH, st.text(alphabet=ANY_CHAR, max_size=40)))
def test_phone_normal_form_is_stable_and_valid(raw):
    try:
        phone = normalise_phone(raw)
    except ValidationError as exc:
        refusal = str(exc.messages[0])
        assert "手机号" in refusal
        return
    assert phone.isascii()
    assert phone.isdigit()
    assert len(phone) == 11
    assert normalise_phone(phone) == phone
    validate_phone(phone)  # the stored form passes the model validator


@pytest.mark.parametrize("raw", [None, 13800138000, 1.38e10, b"13800138000", ["13800138000"], "1" * 100_000])
def test_phone_of_the_wrong_type_or_size_is_a_validation_error(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


@fuzz
@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.integers(min_value=0, max_value=16))
def test_id_checksum_catches_every_single_digit_change(first17, position):
    number = first17 + id_check_char(first17)
    assert id_checksum_ok(number)
    changed = number[:position] + str((int(number[position]) + 1) % 10) + number[position + 1 :]
    assert not id_checksum_ok(changed)


@fuzz
@given(
    st.one_of(
        st.text(alphabet="0123456789Xx", min_size=18, max_size=18),
        st.text(alphabet="0123456789²³¹١٢３", min_size=18, max_size=18),
        st.text(alphabet=ANY_CHAR, max_size=20),
    )
)
def test_id_checksum_of_any_text_is_a_boolean(number):
    assert id_checksum_ok(number) in (True, False)


def test_id_checksum_refuses_digits_of_other_scripts():
    assert id_checksum_ok("²" * 17 + "X") is False
    assert id_checksum_ok("١" * 17 + "1") is False


# --- De-identification --------------------------------------------------------------------------
@fuzz
@given(TEXT)
def test_deid_flags_are_sorted_disjoint_exact_and_repeatable(text):
    flags = detect(text)
    end = 0
    for flag in flags:
        assert end <= flag.start < flag.end <= len(text)
        assert flag.text == text[flag.start : flag.end]
        assert flag.kind.label
        assert flag.severity.label
        assert flag.reason
        end = flag.end
    assert detect(text) == flags


@fuzz
@given(TEXT)
def test_deid_placeholders_are_never_flagged_again(text):
    placeholders = [f for f in detect(text) if f.kind not in PSEUDONYM_KINDS and _is_placeholder(f.replacement)]
    replaced = apply_replacements(text, placeholders)
    spans, shift = [], 0
    for flag in placeholders:
        start = flag.start + shift
        spans.append((start, start + len(flag.replacement)))
        shift += len(flag.replacement) - (flag.end - flag.start)
    assert "".join(replaced[a:b] for a, b in spans) == "".join(f.replacement for f in placeholders)
    for again in detect(replaced):
        assert not any(a <= again.start and again.end <= b for a, b in spans), again
    # Applying the same suggestions a second time changes nothing more.
    assert apply_replacements(replaced, [f for f in detect(replaced) if _is_placeholder(f.replacement)]) == replaced


def _is_placeholder(replacement: str) -> bool:
    return replacement == DELETED or replacement.startswith("某")


@fuzz
@given(TEXT)
def test_deid_with_every_suggestion_applied_never_raises(text):
    flags = detect(text)
    assert apply_replacements(text, []) == text
    replaced = apply_replacements(text, flags)
    assert isinstance(replaced, str)
    assert detect(replaced) is not None


# --- Report format: subtitle, character count -------------------------------------------------
@fuzz
@given(TEXT)
def test_subtitle_and_character_count_take_any_text(text):
    info = parse_subtitle(text)
    assert info.recognised or (info.trigger is None and info.nature is None)
    assert 0 <= count_chars(text) <= len(text)
    report = parse_text(text)
    assert 0 <= count_report_chars(report) <= count_all_chars(report)


# --- Word and PDF files, damaged ----------------------------------------------------------------
_REPORT = parse_text(REPORT_TEXT)
REAL_FILES = {"docx": to_docx(_REPORT), "pdf": to_pdf(_REPORT)}


def _mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    operation = rng.randrange(4)
    if operation == 0:  # flip bytes
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif operation == 1:  # truncate
        del data[rng.randrange(len(data)) :]
    elif operation == 2:  # insert garbage
        at = rng.randrange(len(data))
        data[at:at] = rng.randbytes(rng.randint(1, 50))
    else:  # copy a block elsewhere
        source, target = rng.randrange(len(data)), rng.randrange(len(data))
        data[target : target + 50] = data[source : source + 50]
    return bytes(data)


def _mutate_entries(data: bytes, rng: random.Random) -> bytes:
    """Damage the parts inside a valid ZIP (each part's CRC stays right)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            part = source.read(name)
            archive.writestr(name, _mutate(part, rng) if part and rng.random() < 0.5 else part)
    return out.getvalue()


@settings(fuzz, max_examples=120)
@given(kind=st.sampled_from(["docx", "docx-parts", "pdf"]), seed=st.integers(min_value=0, max_value=2**32))
def test_damaged_word_and_pdf_files_only_raise_the_read_error(kind, seed):
    rng = random.Random(seed)
    base = REAL_FILES[kind.split("-")[0]]
    data = _mutate_entries(base, rng) if kind == "docx-parts" else _mutate(base, rng)
    try:
        outcome = parse_document(data).raw_text
    except DocumentReadError as exc:
        outcome = exc.message
    assert isinstance(outcome, str)


def test_a_damaged_deflate_stream_is_a_read_error():
    """zlib refuses a damaged compressed part with its own error type, which must not escape."""
    data = bytearray(REAL_FILES["docx"])
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    body = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(40, min(info.compress_size, 400), 7):
        data[body + offset] ^= 0x55
    with pytest.raises(DocumentReadError) as caught:
        parse_document(bytes(data))
    assert isinstance(caught.value.__cause__, zlib.error)


# --- Excel imports ------------------------------------------------------------------------------
def _xlsx(headers, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_FILERS = _xlsx(filer_import.HEADERS, [("甲", "某校", "13600000001", "")])
GOOD_STUDENTS = _xlsx(student_import.HEADERS, [["x"] * len(student_import.HEADERS)])

CELL = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=40),
    st.sampled_from(HOSTILE[3:] + TRIGGERS + ["=1+1", "+86 136 0000 0001", "@SUM(A1)", "-1", "\t13600000001"]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
)


@settings(fuzz, max_examples=80)
@given(which=st.sampled_from(["filers", "students"]), seed=st.integers(min_value=0, max_value=2**32))
def test_damaged_workbooks_only_raise_the_import_error(which, seed):
    rng = random.Random(seed)
    base = GOOD_FILERS if which == "filers" else GOOD_STUDENTS
    data = _mutate_entries(base, rng) if rng.random() < 0.7 else _mutate(base, rng)
    try:
        if which == "filers":
            read_rows(data, headers=filer_import.HEADERS, required=filer_import.REQUIRED, max_rows=10)
        else:
            student_import.read_rows(data)
    except ImportFileError as exc:
        refusal = exc.message
        assert refusal


def test_a_damaged_sheet_is_an_import_error_not_a_crash():
    source = zipfile.ZipFile(io.BytesIO(GOOD_FILERS))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            part = source.read(name)
            archive.writestr(name, part.replace(b"<row ", b"<row <") if name == "xl/worksheets/sheet1.xml" else part)
    with pytest.raises(ImportFileError, match="有效的 Excel"):
        read_rows(out.getvalue(), headers=filer_import.HEADERS, required=filer_import.REQUIRED, max_rows=10)


@settings(fuzz, max_examples=60)
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=6), min_size=1, max_size=8))
def test_filer_rows_of_any_cells_are_read_and_checked_without_raising(world, rows):
    assume(any(cell_text(cell) for row in rows for cell in row))
    data = _xlsx(filer_import.HEADERS, [[_storable(cell) for cell in row] for row in rows])
    read = read_rows(data, headers=filer_import.HEADERS, required=filer_import.REQUIRED, max_rows=50)
    result = filer_import.validate(world.province_a, read)
    assert len(result.rows) + len({error.row for error in result.errors}) == len(read)
    assert all(error.column in filer_import.HEADERS and error.message for error in result.errors)
    assert all(row.phone.isdigit() and len(row.phone) == 11 for row in result.rows)


def _storable(cell):
    """An .xlsx cannot hold most C0 control characters; a real file never brings them."""
    return ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell


@fuzz
@given(st.one_of(CELL, st.text(alphabet=ANY_CHAR), st.floats(), st.datetimes(), st.decimals(), st.binary(max_size=8)))
def test_cell_text_takes_any_cell_value(value):
    text = cell_text(value)
    assert isinstance(text, str)
    assert text == text.strip()
