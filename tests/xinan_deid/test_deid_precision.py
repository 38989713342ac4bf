"""Ordinary report prose with no personal data raises no serious flag.

``data/negative_prose.txt`` is hand-written prose full of words that begin
with a surname character (高中, 方法, 温暖, 凌晨 …), of generic places and
organisations (学校, 小区, 精神卫生中心) and of nickname-shaped words
(小时候, 阿姨, 老人).
"""

from tests.xinan_deid.conftest import DATA
from xinan_deid import Severity, detect


def test_negative_prose_has_no_flag_at_all():
    text = (DATA / "negative_prose.txt").read_text(encoding="utf-8")

    flags = detect(text)

    assert [(f.kind.value, f.text) for f in flags] == []


def test_negative_prose_stays_clean_sentence_by_sentence():
    lines = (DATA / "negative_prose.txt").read_text(encoding="utf-8").splitlines()

    serious = [(line, f.text) for line in lines for f in detect(line) if f.severity != Severity.LOW]

    assert serious == []
