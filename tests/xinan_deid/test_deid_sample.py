"""The Ministry's official sample report is already de-identified."""

from xinan_deid import Kind, Severity, detect


def test_official_sample_has_no_high_or_medium_flag(official_sample):
    flags = detect(official_sample)

    serious = [f for f in flags if f.severity in (Severity.HIGH, Severity.MEDIUM)]

    assert serious == []


def test_official_sample_teacher_title_is_low(official_sample):
    flags = detect(official_sample)

    titles = [f for f in flags if f.kind == Kind.TEACHER_TITLE]

    assert {f.text for f in titles} == {"王老师"}
    assert all(f.severity == Severity.LOW for f in titles)


def test_official_sample_declared_pseudonym_is_not_flagged(official_sample):
    flags = detect(official_sample)

    assert "小张" not in {f.text for f in flags}


def test_pseudonym_declared_with_ascii_brackets_covers_whole_document():
    text = "小李(化名)，女，19岁。辅导员后来又找小李谈了一次。"

    assert [f.text for f in detect(text)] == []


def test_pseudonym_declared_with_fullwidth_brackets_covers_whole_document():
    text = "辅导员约小李谈话。小李（化名），女，19岁。"

    assert [f.text for f in detect(text)] == []


def test_undeclared_nickname_is_flagged_medium():
    flags = detect("辅导员约小李谈话，小李一直低着头。")

    assert [(f.text, f.kind, f.severity) for f in flags] == [
        ("小李", Kind.NICKNAME, Severity.MEDIUM),
        ("小李", Kind.NICKNAME, Severity.MEDIUM),
    ]


def test_pseudonym_declared_with_wording_covers_whole_document():
    text = "当事人化名为李华，女。李华最近很低落。另一位当事人（化名“陈静”）说，陈静不想回家。"

    assert detect(text) == []


def test_declared_full_name_covers_its_short_forms():
    text = "张伟(化名)说了很多。小张和伟伟都来了。"

    assert detect(text) == []
