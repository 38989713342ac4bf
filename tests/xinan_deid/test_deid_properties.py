"""Property tests: generated names, phones and ID numbers put into report text
are found with exact offsets into the original string."""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from xinan_deid import Kind, default_engine, detect
from xinan_deid.engine import id_check_char

from . import make_corpus as corpus

_SURNAMES = sorted(s for s in corpus.SURNAMES if s not in "和于由向要")
_STRONG_SURNAMES = [s for s in _SURNAMES if len(s) == 1 and corpus.SURNAMES[s] >= 0.3] + list(corpus.COMPOUND)
_GIVEN = sorted(set(corpus.GIVEN_CHARS) | set(corpus.GIVEN_FAKER))
_FULLWIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}

names = st.tuples(st.sampled_from(_STRONG_SURNAMES), st.sampled_from(_GIVEN)).map("".join)
name_frames = st.sampled_from(
    [
        "当事人{}，男，19岁。",
        "{}同学最近情绪低落。",
        "辅导员联系了名叫{}的学生。",
        "室友{}说她整夜没睡。",
        "我们后来才知道，{}的父亲常年在外地。",
    ]
)
fillers = st.sampled_from(["", "一天上午，辅导员正在办公室工作。", "经过评估，咨询师建议转介。\n"])

common = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(name=names, frame=name_frames, before=fillers, after=fillers)
def test_generated_name_is_found_with_exact_offsets(name, frame, before, after):
    lex = default_engine().lexicon
    assume(name not in lex and name[-2:] not in lex)
    text = before + frame.format(name) + after
    start = len(before) + frame.index("{}")

    flags = detect(text)

    assert any(f.kind == Kind.PERSON_NAME and (f.start, f.end) == (start, start + len(name)) for f in flags)
    assert all(text[f.start : f.end] == f.text for f in flags)


def _mobile(digits: str, style: int) -> str:
    if style == 1:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == 2:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == 3:
        return "+86 " + digits
    if style == 4:
        return f"+86-{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == 5:
        return f"(+86){digits}"
    if style == 6:
        return f"{digits[:3]}.{digits[3:7]}.{digits[7:]}"
    return digits


phones = st.builds(
    lambda head, rest, style, wide: (lambda p: p.translate(_FULLWIDTH) if wide else p)(_mobile(head + rest, style)),
    st.sampled_from(["13", "15", "17", "18", "19", "14", "16"]).flatmap(
        lambda p: st.sampled_from([p + d for d in "0123456789"])
    ),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.integers(0, 6),
    st.booleans(),
)
landlines = st.builds(
    lambda area, first, rest, sep: f"{area}{sep}{first}{rest}",
    st.sampled_from(["010", "020", "021", "0755", "0571", "028"]),
    st.sampled_from("23456789"),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
    st.sampled_from(["-", " ", ""]),
)
phone_frames = st.sampled_from(
    [
        "家长的电话是{}，请尽快联系。",
        "联系方式：{}",
        "她把手机号{}告诉了室友。",
    ]
)


@common
@given(phone=st.one_of(phones, landlines), frame=phone_frames, before=fillers)
def test_generated_phone_is_found_with_exact_offsets(phone, frame, before):
    text = before + frame.format(phone)
    start = len(before) + frame.index("{}")

    flags = detect(text)

    phone_flags = [(f.start, f.end) for f in flags if f.kind == Kind.PHONE]
    assert phone_flags == [(start, start + len(phone))]


ids = st.builds(
    lambda region, year, month, day, seq, bad: _id(region, year, month, day, seq, bad),
    st.sampled_from(["110101", "310104", "440106", "510104", "650102", "230103"]),
    st.integers(1950, 2015),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 999),
    st.booleans(),
)


def _id(region, year, month, day, seq, bad) -> str:
    body = f"{region}{year}{month:02d}{day:02d}{seq:03d}"
    check = id_check_char(body)
    if bad:
        check = "0" if check != "0" else "1"
    return body + check


@common
@given(number=ids, lower_x=st.booleans(), wide=st.booleans(), before=fillers)
def test_generated_id_number_is_found_valid_or_not(number, lower_x, wide, before):
    if lower_x:
        number = number.replace("X", "x")
    if wide:
        number = number.translate(_FULLWIDTH)
    text = before + f"学生的身份证号码为{number}。"
    start = len(before) + 9

    flags = detect(text)

    assert [(f.kind, f.start, f.end) for f in flags] == [(Kind.ID_NUMBER, start, start + 18)]


# --- replacement never damages text outside the flagged spans --------------------------------

# Characters that make names, titles, places and numbers, and everyday prose around them.
_ALPHABET = (
    "张王李赵周于高方安常文明平心理老师医生每天周末凌晨室友同桌说哭笑的了是在和与小阿大学中医院校区路号"
    "班级年月日化名（）()，。；：、\n 0123456789１３８·"
)
random_text = st.text(alphabet=_ALPHABET, max_size=120)


def _check_replaced(text, flags, fn):
    from xinan_deid import replace

    result = fn(text, flags)
    edits = result.edits
    assert [(e.start, e.end) for e in edits] == [(f.start, f.end) for f in sorted(flags, key=lambda f: f.start)]
    pos_old = pos_new = 0
    for e in edits:
        assert e.original == text[e.start : e.end]
        # Everything between two edits is the original text, character for character.
        assert result.text[pos_new : e.new_start] == text[pos_old : e.start]
        assert result.text[e.new_start : e.new_end] == e.replacement
        pos_old, pos_new = e.end, e.new_end
    assert result.text[pos_new:] == text[pos_old:]
    assert result.text == replace(text, flags).text
    return result


@common
@given(text=random_text)
def test_replacement_changes_only_whole_flagged_spans(text):
    from xinan_deid import replace

    _check_replaced(text, detect(text), replace)


@common
@given(text=random_text, data=st.data())
def test_replacing_any_subset_of_flags_keeps_the_rest_of_the_text(text, data):
    from xinan_deid import replace

    flags = detect(text)
    subset = data.draw(st.lists(st.sampled_from(flags), unique=True)) if flags else []

    _check_replaced(text, subset, replace)


@common
@given(text=random_text, data=st.data())
def test_undoing_every_edit_in_any_order_restores_the_text(text, data):
    from xinan_deid import replace, undo

    result = replace(text, detect(text))
    order = data.draw(st.permutations(range(len(result.edits))))
    edits = list(result.edits)
    for k in order:
        target = edits[k]
        current = next(e for e in result.edits if e.flag is target.flag)
        result = undo(result, current)

    assert result.text == text
    assert result.edits == ()
