"""The normal form of extracted text: the same report reads the same whichever program made it."""

import sys
import unicodedata

import pytest

from xinan_reportformat.normalise import _FORMAT, compatibility_form, is_cjk, normalise_text


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("\u2f00\u2f24\u2f08", "一大人"),  # Kangxi radicals, as Chromium's ToUnicode gives them
        ("\u2ec5\u2ed4\u2ea0", "见门民"),  # CJK radicals supplement standing for a whole character
        ("\uf900\ufa10", "\u8c48\u585a"),  # CJK compatibility ideographs
        ("ＡＢＣ１２３", "ABC123"),  # full-width letters and digits
        ("心理，健康！", "心理,健康!"),  # full-width punctuation, as NFKC writes it
        ("\ufb01nd", "find"),  # a ligature
        ("“引号”‘单’「保留」", "\"引号\"'单'「保留」"),
        ("破折号——和–连接‐符−", "破折号--和-连接-符-"),
    ],
)
def test_normalise_text_compatibility_forms_become_ordinary_characters(written, normal):
    # Act
    result = normalise_text(written)

    # Assert
    assert result == normal


def test_normalise_text_drops_spaces_between_chinese_characters_only():
    # Arrange
    text = "心 理　健\t康 教育 is a school subject。 下一句"

    # Act
    result = normalise_text(text)

    # Assert
    assert result == "心理健康教育 is a school subject。下一句"


def test_normalise_text_keeps_line_breaks_between_chinese_characters():
    # Act
    result = normalise_text("第一段\n第二段\r\n第三段")

    # Assert
    assert result.splitlines() == ["第一段", "第二段", "第三段"]


@pytest.mark.parametrize("hyphen", ["-", "\u00ad", "\u2010"])
def test_normalise_text_joins_a_word_hyphenated_at_a_line_end(hyphen):
    # Act
    result = normalise_text(f"crisis inter{hyphen}\n  vention plan")

    # Assert
    assert result == "crisis intervention plan"


def test_normalise_text_keeps_a_hyphen_that_is_part_of_the_text():
    # A capital on the next line starts a new sentence or name: no word was broken.
    assert normalise_text("e-mail\nSMS-\nTeam") == "e-mail\nSMS-\nTeam"


def test_normalise_text_drops_invisible_format_characters():
    # Act
    result = normalise_text("\ufeff心\u200b理\u200d健\u2060康\u00ad")

    # Assert
    assert result == "心理健康"


def test_format_pattern_is_exactly_unicode_category_cf():
    # Arrange: every code point the running Python knows
    format_chars = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}

    # Act
    matched = {chr(c) for c in range(sys.maxunicode + 1) if _FORMAT.match(chr(c))}

    # Assert
    assert matched == format_chars


def test_compatibility_form_equals_nfkc_of_the_table():
    # Arrange: a text that is NFKC-normal once the table has run, and one that is not
    for text in ("心理，健康⼀", "㈠ ½ ㎡ 心理"):
        # Act
        result = compatibility_form(text)

        # Assert
        assert result == unicodedata.normalize("NFKC", result)
        assert "⼀" not in result


def test_is_cjk_tells_characters_from_latin_and_space():
    assert all(is_cjk(char) for char in ("心", "。", "\U00020000"))
    assert not any(is_cjk(char) for char in ("a", " ", "\u3000"))
