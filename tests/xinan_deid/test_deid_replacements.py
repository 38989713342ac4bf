"""Suggested replacements: pseudonyms, consistency, idempotence."""

import pytest

from tests.xinan_deid.evaluate import load
from xinan_deid import PSEUDONYM_MARK, Engine, Kind, Severity, apply_replacements, default_engine, detect

SERIOUS = (Severity.HIGH, Severity.MEDIUM)


def _surname(engine: Engine, name: str) -> str:
    return name[:2] if len(name) > 2 and name[:2] in engine.surnames else name[:1]


@pytest.mark.parametrize("part", ["tuning", "heldout"])
def test_applying_all_replacements_leaves_nothing_high_or_medium(part):
    for doc in load(part):
        cleaned = apply_replacements(doc["text"], detect(doc["text"]))

        left = [(f.kind.value, f.text) for f in detect(cleaned) if f.severity in SERIOUS]

        assert left == [], doc["id"]


def test_second_pass_finds_nothing_serious_to_change(official_sample):
    text = official_sample + "\n当事人欧阳明轩的电话是13800138000，住在广州市天河区五山路381号。"
    once = apply_replacements(text, detect(text))

    twice = apply_replacements(once, [f for f in detect(once) if f.severity in SERIOUS])

    assert [f for f in detect(once) if f.severity in SERIOUS] == []
    assert twice == once


@pytest.mark.parametrize("part", ["tuning", "heldout"])
def test_pseudonym_surname_differs_from_original(part):
    engine = default_engine()
    for doc in load(part):
        for f in detect(doc["text"]):
            if f.kind == Kind.PERSON_NAME and f.marks_pseudonym:
                pseudonym = f.replacement.removesuffix(PSEUDONYM_MARK)
                assert _surname(engine, pseudonym) != _surname(engine, f.text), doc["id"]
                assert not pseudonym.startswith(_surname(engine, f.text)), doc["id"]


def test_same_name_always_gets_same_pseudonym():
    text = "学生张伟来到咨询室。张伟说最近睡不好。辅导员后来又见到张伟。室友李娜也在。"

    flags = [f for f in detect(text) if f.kind == Kind.PERSON_NAME]

    by_name: dict[str, set[str]] = {}
    for f in flags:
        by_name.setdefault(f.text, set()).add(f.replacement.removesuffix(PSEUDONYM_MARK))
    assert set(by_name) == {"张伟", "李娜"}
    assert all(len(v) == 1 for v in by_name.values())
    assert by_name["张伟"] != by_name["李娜"]


def test_pseudonym_is_marked_on_first_use_only():
    text = "学生张伟来到咨询室。张伟说最近睡不好。"

    cleaned = apply_replacements(text, detect(text))

    assert cleaned.count(PSEUDONYM_MARK) == 1
    assert cleaned.index(PSEUDONYM_MARK) < cleaned.rindex("说")


def test_mark_moves_to_first_applied_use_when_author_keeps_the_first():
    text = "学生张伟来到咨询室。张伟说最近睡不好。"
    flags = detect(text)

    cleaned = apply_replacements(text, flags[1:])

    assert cleaned.startswith("学生张伟来到咨询室。")
    assert cleaned.count(PSEUDONYM_MARK) == 1


def test_given_name_forms_follow_the_pseudonym():
    text = "当事人张伟明，男。后来伟明主动来找辅导员，小明也笑了。"

    flags = {f.text: f.replacement for f in detect(text)}
    pseudonym = flags["张伟明"].removesuffix(PSEUDONYM_MARK)

    assert flags["伟明"] == pseudonym[1:]
    assert flags["小明"] == "小" + pseudonym[-1]


def test_nickname_and_teacher_title_share_the_surname_mapping():
    text = "老王是他的室友。王老师找老王了解情况。"

    flags = [f for f in detect(text)]
    new_surnames = {f.replacement.removesuffix(PSEUDONYM_MARK).lstrip("小老")[0] for f in flags}

    assert len(new_surnames) == 1
    assert "王" not in new_surnames


def test_numbers_are_replaced_by_a_deletion_marker():
    text = "手机13800138000，QQ：12345678，邮箱abc123@example.com。"

    cleaned = apply_replacements(text, detect(text))

    assert cleaned == "手机[已删除]，QQ：[已删除]，邮箱[已删除]。"


def test_places_and_organisations_get_generic_words():
    text = "他就读于华南理工大学计算机学院，后来在北京大学第六医院就诊，家住广州市天河区五山路381号。"

    cleaned = apply_replacements(text, detect(text))

    assert cleaned == "他就读于某大学某学院，后来在某医院就诊，家住某地。"


def test_replace_reports_each_edit_with_old_and_new_positions():
    from xinan_deid import replace

    text = "当事人张伟，男。张伟说他不想回家。"

    result = replace(text, detect(text))

    first, second = result.edits
    assert (first.start, first.end, first.original) == (3, 5, "张伟")
    assert first.replacement.endswith(PSEUDONYM_MARK)
    assert result.text[second.new_start : second.new_end] == second.replacement == first.replacement[:-4]
    assert set(first.to_dict()) >= {"start", "end", "new_start", "new_end", "original", "replacement", "kind"}


def test_undoing_the_first_use_moves_the_pseudonym_mark_to_the_next():
    from xinan_deid import replace, undo

    text = "当事人张伟，男。张伟说他不想回家。"
    result = replace(text, detect(text))

    after = undo(result, result.edits[0])

    assert after.text.startswith("当事人张伟，男。")
    assert after.text.count(PSEUDONYM_MARK) == 1
    assert after.edits[0].replacement.endswith(PSEUDONYM_MARK)


def test_undo_refuses_an_edit_of_another_text():
    from xinan_deid import replace, undo

    a = replace("当事人张伟，男。", detect("当事人张伟，男。"))
    b = replace("当事人李娜，女。", detect("当事人李娜，女。"))

    with pytest.raises(ValueError, match="not made on this text"):
        undo(a, b.edits[0])
