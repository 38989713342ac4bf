"""The detector's cost grows with the text's length and no faster, whatever the text: an
uploaded report is scanned inside the request."""

import time

import pytest

from xinan_deid import detect


def _best_time(text: str, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        detect(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize(
    ("unit", "size"),
    [("1", 4000), ("a", 4000), ("1a", 4000), ("三", 4000), ("路", 2000)],
    ids=["digits", "letters", "digits-and-letters", "chinese-numerals", "address-parts"],
)
def test_detect_long_run_costs_linear_time(unit, size):
    # Arrange: a run with nothing after it that a pattern needs (no "@", no 号 after the number),
    # or of address parts that all join into one address
    detect("预热")
    small, large = unit * (size // len(unit)), unit * (4 * size // len(unit))

    # Act
    ratio = _best_time(large, 3) / max(_best_time(small, 3), 1e-2)

    # Assert: four times the text, about four times the work (before: sixteen; 40 s for 30,000
    # digits, 26 s for 8,000 address parts)
    assert ratio < 8, ratio


def test_detect_still_finds_emails_and_house_numbers_after_runs():
    # Arrange
    text = "联系人的邮箱是abc.def@example.com，她家住在幸福小区12号楼3单元。"

    # Act
    flags = {(str(flag.kind), flag.text) for flag in detect(text)}

    # Assert
    assert ("email", "abc.def@example.com") in flags
    assert ("address", "幸福小区12号楼3单元") in flags
