"""Counting 字 the way a Chinese editor does."""

import pytest

from xinan_reportformat import count_all_chars, count_chars, count_report_chars


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("心理危机干预", 6),
        ("你好，世界！", 6),
        ("你好, 世界!", 6),
        ("21岁", 3),
        ("SCL-90量表", 8),
        ("“生命高于一切”", 8),
        ("《安全计划书》", 7),
        ("第一行\n第二行", 6),
        ("全角　空格 半角空格\t制表", 10),
        ("零宽\u200b空格\ufeff", 4),
        ("", 0),
        ("   \n\t\u3000", 0),
        ("e\u0301", 1),
    ],
)
def test_count_chars_examples_follow_the_rule(text, expected):
    # Act
    count = count_chars(text)

    # Assert
    assert count == expected


def test_count_report_chars_counts_only_author_section_bodies(short_report):
    # Arrange
    bodies = "".join(s.text for s in short_report.sections if s.key != "commentary")

    # Act
    count = count_report_chars(short_report)

    # Assert
    assert count == count_chars(bodies)
    assert count_all_chars(short_report) > count
