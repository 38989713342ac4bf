"""Reading a filed Word + PDF pair: the same report from other programs passes, another report
is refused, and every limit is checked before the heavier work after it."""

from __future__ import annotations

import pytest

from tests.document_fixtures import (
    chromium_pdf_of,
    cid_pdf_of,
    docx_of,
    official_sample,
    radicals_pdf_of,
    require_chromium,
    truetype_pdf_of,
)
from tests.xinan_reportformat.conftest import SHORT_REPORT
from xinan.campaigns.services.documents import MAX_PDF_PAGES, max_text_chars, read_pair
from xinan.campaigns.services.errors import FilingError


@pytest.mark.parametrize("producer", [cid_pdf_of, truetype_pdf_of, radicals_pdf_of])
def test_read_pair_same_report_printed_another_way_passes(producer):
    # Arrange
    docx, pdf = docx_of(official_sample()), producer(official_sample())

    # Act
    reading = read_pair(docx, pdf, char_limit=2000)

    # Assert
    assert reading.report.title
    assert reading.char_count > 1000


def test_read_pair_official_sample_printed_by_chromium_passes():
    # Arrange: the case, refused before as "内容不一致（相似度 85%）"
    require_chromium()
    docx, pdf = docx_of(official_sample()), chromium_pdf_of(official_sample())

    # Act
    reading = read_pair(docx, pdf, char_limit=2000)

    # Assert
    assert reading.report.title


def test_read_pair_another_reports_pdf_is_refused_with_the_similarity():
    # Arrange
    docx, pdf = docx_of(official_sample()), truetype_pdf_of(SHORT_REPORT)

    # Act
    with pytest.raises(FilingError, match="不一致") as caught:
        read_pair(docx, pdf, char_limit=2000)

    # Assert
    assert caught.value.code == "pair.different"
    assert "相似度" in caught.value.message


def test_read_pair_overlong_word_text_refused_before_the_pdf_is_read():
    # Arrange: a PDF that would be refused as unreadable if it were read at all
    docx = docx_of("心理危机干预。\n" * (max_text_chars(2000) // 7))
    unreadable_pdf = b"%PDF-1.7\n" + b"\x00" * 64

    # Act
    with pytest.raises(FilingError) as caught:
        read_pair(docx, unreadable_pdf, char_limit=2000)

    # Assert
    assert caught.value.code == "text.too_long"
    assert "过长" in caught.value.message


def test_read_pair_kinds_checked_before_anything_is_read():
    # Arrange: the files swapped between the two fields
    docx, pdf = docx_of(official_sample()), truetype_pdf_of(official_sample())

    # Act
    with pytest.raises(FilingError) as caught:
        read_pair(pdf, docx, char_limit=2000)

    # Assert
    assert caught.value.code == "docx.kind"


def test_read_pair_pdf_of_too_many_pages_refused_before_its_text_is_laid_out():
    # Arrange
    long_text = "\n".join(["第一行文字。"] + ["正文。" * 40] * (MAX_PDF_PAGES * 12))
    docx, pdf = docx_of(official_sample()), truetype_pdf_of(long_text)

    # Act
    with pytest.raises(FilingError) as caught:
        read_pair(docx, pdf, char_limit=2000)

    # Assert
    assert caught.value.code == "pdf.pages"
    assert str(MAX_PDF_PAGES) in caught.value.message
