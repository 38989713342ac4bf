"""Property tests: counting adds up, parsing never raises."""

from hypothesis import given, settings
from hypothesis import strategies as st

from xinan_reportformat import (
    DocumentReadError,
    check_report,
    count_chars,
    extract_text,
    parse_subtitle,
    parse_text,
    to_docx,
    to_pdf,
)

TOKENS = [
    "一、",
    "（二）",
    "3.",
    "当事人基本信息",
    "危机的发生",
    "干预过程",
    "结果",
    "经验分享",
    "专家点评",
    "——",
    "--",
    "─",
]
TOKENS += [
    "一例由",
    "引发的",
    "危机的干预报告",
    "(样 例)",
    "¹",
    "艺术加工",
    "对号入座",
    "-",
    "小张",
    "，",
    "。",
    "：",
    "的",
]
TOKENS += [" ", "\n", "\r\n", "\f", "\u3000", "\n\n", "第 2 页"]
REPORTISH = st.lists(st.sampled_from(TOKENS), max_size=120).map("".join)
NON_WHITESPACE = st.text().map(lambda text: "".join(c for c in text if not c.isspace()))


@given(NON_WHITESPACE, NON_WHITESPACE)
def test_count_chars_is_additive_over_concatenation(first, second):
    # Act
    together = count_chars(first + second)

    # Assert
    assert together == count_chars(first) + count_chars(second)


@given(st.text())
def test_count_chars_ignores_whitespace(text):
    # Act
    spaced = count_chars(" \n".join(text) + "\u3000\t")

    # Assert
    assert spaced == count_chars(text)


@given(st.one_of(st.text(max_size=400), REPORTISH))
def test_parse_subtitle_never_raises(text):
    # Act
    info = parse_subtitle(text)

    # Assert
    assert info.recognised or (info.trigger is None and info.nature is None)


@given(st.one_of(st.text(max_size=2000), REPORTISH))
def test_parse_text_never_raises(text):
    # Act
    report = parse_text(text)
    problems = check_report(report)

    # Assert
    assert report.raw_text == text
    assert all(0 <= s.start_offset <= len(text) for s in report.sections)
    assert isinstance(problems, list)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b""]), st.binary(max_size=2000)
)
def test_extract_text_random_bytes_only_raise_read_error(magic, tail):
    # Act
    try:
        outcome = extract_text(magic + tail)
    except DocumentReadError as error:
        outcome = error

    # Assert
    assert isinstance(outcome, (str, DocumentReadError))


@settings(max_examples=25, deadline=None)
@given(st.one_of(st.text(max_size=300), REPORTISH))
def test_export_never_raises_on_parsed_text(text):
    # Arrange
    report = parse_text(text)

    # Act
    word_file = to_docx(report)
    pdf_file = to_pdf(report)

    # Assert
    assert word_file.startswith(b"PK")
    assert pdf_file.startswith(b"%PDF-")
