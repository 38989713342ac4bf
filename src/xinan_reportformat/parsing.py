"""Splitting a report's plain text into title, subtitle, sections and footnotes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from xinan_reportformat.headings import HeadingMatch, read_heading
from xinan_reportformat.lines import (
    Line,
    continues_into,
    ends_paragraph,
    is_attachment_label,
    is_sample_marker,
    join_paragraphs,
    read_footnote,
    split_lines,
)
from xinan_reportformat.model import OTHER_SECTION, Footnote, Report, Section
from xinan_reportformat.subtitle import (
    looks_like_subtitle,
    parse_subtitle,
    split_dash,
    strip_footnote_refs,
)

_FOOTNOTE_WRAP_LINES = 2
# The subtitle is looked for among the first lines only.
_HEADER_SEARCH_LINES = 6


@dataclass
class _Classified:
    """Lines sorted by role, before sections are built."""

    lines: list[Line]
    footnotes: list[Footnote] = field(default_factory=list)
    footnote_lines: set[int] = field(default_factory=set)
    marker_lines: set[int] = field(default_factory=set)


def parse_text(text: str) -> Report:
    """Parse a report's plain text into a ``Report``. Never raises on text."""
    raw_text = text if isinstance(text, str) else str(text)
    classified = _classify(split_lines(raw_text))
    set_aside = classified.footnote_lines | classified.marker_lines
    body = [i for i in range(len(classified.lines)) if i not in set_aside]
    subtitle_index = _find_subtitle(classified.lines, body)
    header_end = _header_end(classified.lines, body, subtitle_index)
    headings = _accept_headings(classified.lines, [i for i in body if i >= header_end])
    title, subtitle_line, subtitle_offset = _read_header(classified.lines, body, subtitle_index, header_end)
    dash, subtitle = split_dash(strip_footnote_refs(subtitle_line)) if subtitle_line else ("", "")
    first_heading = headings[0][0] if headings else len(classified.lines)
    preamble = _paragraph_text(classified.lines, [i for i in body if header_end <= i < first_heading])
    return Report(
        title=title,
        subtitle=subtitle,
        sections=_build_sections(classified.lines, body, headings, len(raw_text)),
        footnotes=classified.footnotes,
        raw_text=raw_text,
        subtitle_dash=dash,
        subtitle_offset=subtitle_offset,
        preamble=preamble,
        has_sample_marker=bool(classified.marker_lines),
    )


def _classify(lines: list[Line]) -> _Classified:
    classified = _Classified(lines)
    # How many more lines may still continue the last footnote: a footnote
    # wraps onto a line or two, never more.
    continuation = 0
    for index, line in enumerate(lines):
        if is_sample_marker(line.text):
            classified.marker_lines.add(index)
            continuation = 0
            continue
        footnote = read_footnote(line.text)
        if footnote is not None:
            classified.footnotes.append(Footnote(footnote[0], footnote[1], line.start))
            classified.footnote_lines.add(index)
            continuation = 0 if ends_paragraph(footnote[1]) else _FOOTNOTE_WRAP_LINES
        elif continuation and read_heading(line.text) is None:
            _extend_last_footnote(classified, line.text)
            classified.footnote_lines.add(index)
            continuation = 0 if ends_paragraph(line.text) else continuation - 1
        else:
            continuation = 0
    return classified


def _extend_last_footnote(classified: _Classified, text: str) -> None:
    last = classified.footnotes[-1]
    classified.footnotes[-1] = Footnote(last.marker, last.text + text, last.start_offset)


def _find_subtitle(lines: list[Line], body: list[int]) -> int | None:
    """Find the subtitle among the first lines: best a line that reads as
    the official form, then a line starting with a dash, then a line that
    looks like one (but not the first line, which is the title)."""
    window = _header_window(lines, body)
    readable = [i for i in window if parse_subtitle(lines[i].text).recognised]
    dashed = [i for i in window if split_dash(lines[i].text)[0] and looks_like_subtitle(lines[i].text)]
    similar = [i for i in window[1:] if looks_like_subtitle(lines[i].text)]
    for choice in (readable, dashed, similar):
        if choice:
            return choice[0]
    return None


def _header_window(lines: list[Line], body: list[int]) -> list[int]:
    """The first lines, up to the first numbered template heading."""
    window = []
    for index in body[:_HEADER_SEARCH_LINES]:
        heading = read_heading(lines[index].text)
        if heading is not None and heading.numbering_kind is not None and heading.key is not None:
            break
        window.append(index)
    return window


def _header_end(lines: list[Line], body: list[int], subtitle_index: int | None) -> int:
    """Return the index of the first line after the title and subtitle."""
    if subtitle_index is not None:
        end = subtitle_index + 1
        if _subtitle_wraps(lines, body, subtitle_index):
            end = _next_body(body, subtitle_index) + 1
        return end
    if not body:
        return 0
    first = lines[body[0]].text
    heading = read_heading(first)
    if heading is not None and heading.numbering_kind is not None:
        return body[0]
    return body[0] + 1


def _subtitle_wraps(lines: list[Line], body: list[int], subtitle_index: int) -> bool:
    """A PDF may wrap a long subtitle: "…危机的干预报" + "告"."""
    following = _next_body(body, subtitle_index)
    if following is None:
        return False
    text = strip_footnote_refs(lines[subtitle_index].text)
    rest = strip_footnote_refs(lines[following].text)
    return not text.endswith("报告") and len(rest) <= 8 and (text + rest).endswith("报告")


def _next_body(body: list[int], index: int) -> int | None:
    return next((i for i in body if i > index), None)


def _read_header(
    lines: list[Line], body: list[int], subtitle_index: int | None, header_end: int
) -> tuple[str, str, int]:
    header = [i for i in body if i < header_end]
    if subtitle_index is None:
        title_lines = header
        subtitle_line, subtitle_offset = "", -1
    else:
        title_lines = [i for i in header if i < subtitle_index]
        subtitle_line = "".join(lines[i].text for i in header if i >= subtitle_index)
        subtitle_offset = lines[subtitle_index].start
    words = [strip_footnote_refs(lines[i].text) for i in title_lines if not is_attachment_label(lines[i].text)]
    return " ".join(w for w in words if w), subtitle_line, subtitle_offset


def _accept_headings(lines: list[Line], candidates: list[int]) -> list[tuple[int, HeadingMatch]]:
    """Choose which heading-like lines really start sections."""
    found = {i: m for i in candidates if (m := read_heading(lines[i].text)) is not None}
    style = _dominant_numbering(found.values())
    accepted: list[tuple[int, HeadingMatch]] = []
    seen_keys: set[str] = set()
    previous_text = ""
    for index in candidates:
        match = found.get(index)
        last = accepted[-1][1] if accepted else None
        if match is not None and _accepts(match, style, seen_keys, previous_text, last):
            accepted.append((index, match))
            seen_keys.add(match.key or OTHER_SECTION)
        previous_text = lines[index].text
    return accepted


def _dominant_numbering(found) -> str | None:
    kinds = Counter(m.numbering_kind for m in found if m.key is not None and m.numbering_kind)
    if not kinds:
        return None
    kind, count = kinds.most_common(1)[0]
    return kind if count >= 2 else None


def _accepts(match: HeadingMatch, style: str | None, seen: set[str], previous: str, last: HeadingMatch | None) -> bool:
    if match.key is None:
        return _continues_numbering(match, style, last)
    if match.numbering_kind is None:
        # Unnumbered words are a heading only once, and not in mid-paragraph.
        return match.key not in seen and not (previous and continues_into(previous, match.heading))
    return style is None or match.numbering_kind == style


def _continues_numbering(match: HeadingMatch, style: str | None, last: HeadingMatch | None) -> bool:
    """An unknown heading counts only in the document's own section style
    and when its number follows the previous section's ("六、" after "五、")."""
    if last is None or style is None or match.numbering_kind != style:
        return False
    return match.number is not None and last.number is not None and match.number == last.number + 1


def _build_sections(
    lines: list[Line], body: list[int], headings: list[tuple[int, HeadingMatch]], text_length: int
) -> list[Section]:
    body_set = set(body)
    sections = []
    for position, (index, match) in enumerate(headings):
        stop = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        end_offset = lines[stop].start if stop < len(lines) else text_length
        texts = [match.rest] if match.rest else []
        texts += [lines[i].text for i in range(index + 1, stop) if i in body_set]
        key = str(match.key) if match.key is not None else OTHER_SECTION
        text = "\n".join(join_paragraphs(texts))
        sections.append(Section(key, match.heading, text, lines[index].start, end_offset))
    return sections


def _paragraph_text(lines: list[Line], indexes: list[int]) -> str:
    return "\n".join(join_paragraphs([lines[i].text for i in indexes]))
