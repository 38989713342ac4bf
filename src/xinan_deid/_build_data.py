"""Regenerate the shipped data files under ``xinan_deid/data``.

Run once by a developer (``python -m xinan_deid._build_data``); the engine
itself only reads the generated files, so neither source package is needed
at run time.

Sources (both MIT licensed):
- the word-frequency dictionary of jieba 0.42.1 -> ``lexicon.tsv``: common
  words of 2-4 Chinese characters (no person-name tags), used to tell an
  ordinary word that starts with a surname character (王国, 高兴) from a name;
- the surname frequency table of Faker's zh_CN person provider ->
  ``surnames.tsv``, completed with compound and rare surnames listed below;
- the same jieba dictionary -> ``ambiguous.txt``: two-character words tagged as
  names that are everyday words too (高明, 阳光), which need a person's verb;
- the same dictionary -> ``not_names.txt``: two-character words beginning with a
  surname character whose part of speech is never a name's (马上, 平时, 于是).
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path


def _words(text: str) -> tuple[str, ...]:
    """Whitespace-separated word list (keeps long lists readable)."""
    return tuple(text.split())

DATA_DIR = Path(__file__).parent / "data"
MIN_WORD_FREQ = 5
NAME_TAGS = {"nr", "nrfg", "nrt"}
AMBIGUOUS_MIN_FREQ = 300

COMPOUND_SURNAMES = _words(
    "欧阳 司马 诸葛 上官 司徒 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 夏侯 令狐 端木 独孤 轩辕 南宫 澹台 百里 呼延 "
    "万俟 钟离 闻人 西门 申屠 赫连 拓跋 第五 公羊 太史 濮阳 淳于 单于 宗政 濮阳 司空 司寇 亓官 左丘 东郭 南门 "
    "梁丘 公冶 谷梁 羊舌 微生 乐正 漆雕 壤驷 公良 拓拔 夹谷 宰父 巫马 段干 百里 东门 西门 仲孙 叔孙 公西 颛孙 "
    "巴特"
)

# Rare single-character surnames that the frequency table may lack; they get
# the lowest weight.
RARE_SURNAMES = _words(
    "仉 乜 厍 笪 訾 郗 禚 逄 蒯 隗 佴 逯 亓 冼 靳 铁 揭 眭 覃 粘 帖 郦 昝 缑 蔺 禤 璩 嵇 阚 郏 茆 苌 甯 闫 凃 "
    "佟 芮 於 粟 糜 郇 佘 冮 贲 邴 扈 郄 晁 鄂 尉 钭 厉 瞿 隆 甘 衡 檀 栾 谌 芈 那 郜 沈 缪 昌 浦 靖 酆 鲜 滑 "
    "桓 郁 邰 姒 荀 卜 能 楚 盖 宓 计 伏 成 戴 谈 宋 茅 庞 熊 纪 舒 屈 项 祝 董 梁 杜 阮 蓝 闵 席 季 麻 强 贾 "
    "路 娄 危"
)


# Common surnames the frequency table lacks, with an estimated weight
# (percent of the population).
EXTRA_SURNAMES = {"肖": 0.45, "付": 0.3, "钮": 0.005}


def build_lexicon() -> int:
    text = importlib.resources.files("jieba").joinpath("dict.txt").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        word, freq, tag = line.split(" ")
        if not 2 <= len(word) <= 4 or tag in NAME_TAGS or int(freq) < MIN_WORD_FREQ:
            continue
        if all("\u4e00" <= ch <= "\u9fff" for ch in word):
            rows.append(f"{word}\t{freq}")
    (DATA_DIR / "lexicon.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


def build_ambiguous() -> int:
    """Words jieba tags as names that are also everyday words (高明, 文明, 阳光, 安静).

    Kept out of the lexicon (a name must stay findable), they are names only where a
    person's verb follows (``Engine._person_right_cues``) or a strong cue is present.
    """
    text = importlib.resources.files("jieba").joinpath("dict.txt").read_text("utf-8")
    words = sorted(
        word
        for word, freq, tag in (line.split(" ") for line in text.splitlines())
        if tag in NAME_TAGS and len(word) == 2 and int(freq) >= AMBIGUOUS_MIN_FREQ
        and all("\u4e00" <= ch <= "\u9fff" for ch in word)
    )
    (DATA_DIR / "ambiguous.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    return len(words)


# jieba's part-of-speech tags of words that can also be a given name (高山, 文静, 江河).
NAMEABLE_TAGS = {"n", "a", "an", "ng", "nz", "ns", "nt", "nw", "i", "l", "j", "b", "z", "ag", *NAME_TAGS}


def build_not_names() -> int:
    """Two-character words beginning with a surname character that are adverbs, verbs, time words,
    conjunctions … (马上, 平时, 于是, 安慰): after 室友 or 同桌 they are never a name, while the
    nouns and adjectives of the same shape (高山, 文静) may well be one.
    """
    surnames = {line.split("\t")[0] for line in (DATA_DIR / "surnames.tsv").read_text("utf-8").splitlines() if line}
    text = importlib.resources.files("jieba").joinpath("dict.txt").read_text("utf-8")
    words = sorted(
        word
        for word, freq, tag in (line.split(" ") for line in text.splitlines())
        if len(word) == 2 and word[0] in surnames and int(freq) >= MIN_WORD_FREQ and tag not in NAMEABLE_TAGS
    )
    (DATA_DIR / "not_names.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    return len(words)


def build_surnames() -> int:
    from faker.providers.person.zh_CN import Provider

    weights: dict[str, float] = dict(Provider.last_names)
    for name, weight in EXTRA_SURNAMES.items():
        weights.setdefault(name, weight)
    for name in COMPOUND_SURNAMES:
        weights.setdefault(name, 0.001)
    for name in RARE_SURNAMES:
        weights.setdefault(name, 0.0005)
    rows = [f"{name}\t{weight:g}" for name, weight in sorted(weights.items(), key=lambda kv: -kv[1])]
    (DATA_DIR / "surnames.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    print("lexicon words:", build_lexicon())
    print("surnames:", build_surnames())
    print("ambiguous name words:", build_ambiguous())
    print("words that are never a name:", build_not_names())
