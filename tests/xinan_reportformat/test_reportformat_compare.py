"""Word versus PDF: the same report in any producer's file compares as the same text, another
report does not, and no input makes the comparison slower than its length allows."""

import time

import pytest
from tests.document_fixtures import (
    PDF_PRODUCERS,
    RADICAL_OF,
    chromium_pdf_of,
    docx_of,
    official_sample,
    require_chromium,
)
from tests.xinan_reportformat.conftest import SHORT_REPORT

from xinan_reportformat import extract_text
from xinan_reportformat.compare import SAME_TEXT, comparable_text, gram_similarity, same_text, text_similarity


def _pdf_text(producer: str, text: str) -> str:
    if producer == "pdf-chromium":
        require_chromium()
    return extract_text(PDF_PRODUCERS[producer](text))


@pytest.mark.parametrize("producer", list(PDF_PRODUCERS))
def test_text_similarity_same_report_from_every_producer_is_the_same_text(producer):
    # Arrange
    word = extract_text(docx_of(official_sample()))
    pdf = _pdf_text(producer, official_sample())

    # Act
    similarity = text_similarity(word, pdf)

    # Assert
    assert similarity >= SAME_TEXT


@pytest.mark.parametrize("producer", list(PDF_PRODUCERS))
def test_text_similarity_another_report_from_every_producer_is_refused(producer):
    # Arrange
    word = extract_text(docx_of(official_sample()))
    pdf = _pdf_text(producer, SHORT_REPORT)

    # Act
    similarity = text_similarity(word, pdf)

    # Assert
    assert similarity < 0.3


def test_radical_pdf_really_holds_radicals_and_they_are_normalised_away():
    # Arrange
    pdf = _pdf_text("pdf-radicals", official_sample())

    # Act
    radicals = [char for char in pdf if char in RADICAL_OF.values()]

    # Assert: the fixture tests what Chromium does, and the comparison sees through it
    assert len(radicals) > 50
    assert not set(comparable_text(pdf)) & set(RADICAL_OF.values())


def test_chromium_pdf_holds_kangxi_radicals_that_compare_as_characters():
    # Arrange: what the issue saw (294 characters of the official sample printed as radicals)
    require_chromium()
    pdf = extract_text(chromium_pdf_of(official_sample()))

    # Act
    radicals = [char for char in pdf if 0x2E80 <= ord(char) <= 0x2FDF]

    # Assert
    assert radicals
    assert text_similarity(extract_text(docx_of(official_sample())), pdf) >= SAME_TEXT


def test_text_similarity_half_a_report_replaced_is_refused():
    # Arrange
    sample = official_sample()
    half = sample[: len(sample) // 2] + SHORT_REPORT

    # Act
    similarity = text_similarity(sample, half)

    # Assert
    assert similarity < SAME_TEXT


def test_text_similarity_ignores_layout_numbering_and_paragraph_order():
    # Arrange
    sample = official_sample()
    paragraphs = sample.splitlines()
    laid_out = "\n".join(f"{line}\n- {number} -" for number, line in enumerate(reversed(paragraphs)))

    # Act / Assert
    assert same_text(sample, laid_out)


def test_gram_similarity_edge_cases():
    assert gram_similarity("", "") == 1.0
    assert gram_similarity("心理", "") == 0.0
    assert gram_similarity("心理", "心理") == 1.0  # shorter than a piece: compared character by character
    assert gram_similarity("心理健康", "身体健康") == pytest.approx(0.0)


def _best_times(*functions, repeats: int = 5) -> list[float]:
    """The fastest of `repeats` runs of each function, taken in turns with the collector paused, so a
    burst of load on a shared machine (or a full collection) falls on every function alike."""
    import gc

    best = [float("inf")] * len(functions)
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeats):
            for i, function in enumerate(functions):
                started = time.perf_counter()
                function()
                best[i] = min(best[i], time.perf_counter() - started)
    finally:
        if enabled:
            gc.enable()
    return best


def test_text_similarity_adversarial_pair_costs_no_more_than_a_normal_pair():
    # Arrange: the attack on the former difflib comparison, and an ordinary pair of the same length
    size = 40_000
    sample = (official_sample() * (size // len(official_sample()) + 1))[:size]
    attack = ("ab" * (size // 2), "ba" * (size // 2))

    # Act
    adversarial, normal = _best_times(lambda: text_similarity(*attack), lambda: text_similarity(sample, sample[::-1]))

    # Assert: a ratio, not a wall-clock limit (difflib took ~1,000 times longer on the attack)
    assert adversarial <= 2 * normal


def test_text_similarity_grows_linearly_with_the_length():
    # Arrange
    small, large = ("ab" * 10_000, "ba" * 10_000), ("ab" * 40_000, "ba" * 40_000)

    # Act
    large_time, small_time = _best_times(lambda: text_similarity(*large), lambda: text_similarity(*small))
    ratio = large_time / small_time

    # Assert: four times the text, about four times the work (difflib's quadratic cost: sixteen)
    assert ratio < 8
