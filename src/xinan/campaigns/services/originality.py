"""Originality: near-duplicate reports within a campaign and against earlier campaigns.

The text compared is the report body: the template's headings, the title and subtitle and the
standard artistic-processing footnote are left out, so two different reports written in the
same template share nothing but their own words. The body is normalised (whitespace,
punctuation and digits removed) and cut into Chinese character shingles of ``K`` characters,
each hashed to 32 bits (CRC-32, deterministic across processes and machines).

Candidates come from a one-permutation MinHash: every shingle hash is mixed to 64 bits, its
top 7 bits choose one of 128 bins and the smallest value per bin is kept; two bins form a band
(64 bands). Two reports become candidates when they share a band key — for a true Jaccard of
0.2 that happens with probability 1 - (1 - 0.2²)⁶⁴ ≈ 0.93, for 0.25 about 0.98, while
unrelated reports (Jaccard ≈ 0.01) share a key well under 1% of the time. Candidates are then
compared exactly on their shingle sets: the signature only chooses whom to compare, never what
to flag.

Flagged when Jaccard ≥ 0.2 or containment (shared shingles over the smaller report's) ≥ 0.3.
Copying costs more shingles than one expects: every shingle that straddles a changed sentence
is lost, so a report keeping every other sentence of another (half of it copied) measures a
Jaccard of about 0.27 and a containment of about 0.44, and half a report pasted into new text
about 0.33 and 0.5 (measured by bench/originality.py). The textbook 0.3 / 0.5 would miss
both; 0.2 / 0.3 catches them. Independently written reports of the same template and topic
share a few percent of their 5-character shingles at most (set phrases such as 辅导员 or
家校合作 are shorter than a passage), so the margin stays wide. The result is a flag for
people — never a rejection, and nothing here changes a submission's state.

The engine functions take and return plain values (pure Python and the standard library, no
numpy); the database functions at the end store fingerprints, band keys and matches.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xinan.audit.services.record import record
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import OriginalityBand, OriginalityMatch, ReportFingerprint, Submission
from xinan.crypto.files import read_encrypted
from xinan.organisations.enums import Role
from xinan.organisations.services.queries import held_roles
from xinan_reportformat import DocumentReadError, extract_text, parse_text

K = 5
BINS = 128
ROWS = 2  # bins per band
BANDS = BINS // ROWS
JACCARD_THRESHOLD = 0.2
CONTAINMENT_THRESHOLD = 0.3
MIN_SHINGLES = 30  # shorter bodies say too little to compare
MIN_PASSAGE = 12  # normalised characters: shorter common runs are set phrases, not copying
MAX_PASSAGES = 20
MAX_BUCKET = 2000  # a band key shared by more reports than this carries no information
_MASK64 = (1 << 64) - 1
_C1 = 0x9E3779B97F4A7C15
_EMPTY = _MASK64  # an empty bin (only in very short texts); never part of a band key
_LITTLE = sys.byteorder == "little"


# --- The text ----------------------------------------------------------------------------
def report_body(report) -> str:
    """The body of a parsed report (xinan_reportformat.Report): preamble and section texts,
    without the title, the subtitle, the headings or the footnotes."""
    parts = [report.preamble] if getattr(report, "preamble", "") else []
    parts += [section.text for section in report.sections]
    return "\n".join(part for part in parts if part)


def _kept(char: str) -> bool:
    return char.isalnum() and not char.isdigit()


def normalise(text: str) -> tuple[str, list[int]]:
    """Letters only (CJK characters included), lower-cased, with each kept character's offset
    in ``text`` so that passages can be shown as written."""
    offsets = [i for i, char in enumerate(text) if _kept(char)]
    return "".join(text[i] for i in offsets).lower(), offsets


def shingle_hashes(normalised: str, k: int = K) -> list[int]:
    """Sorted distinct CRC-32 hashes of the text's k-character shingles."""
    if len(normalised) < k:
        return []
    data = memoryview(normalised.encode("utf-32-le"))
    width = 4 * k
    crc = zlib.crc32
    return sorted({crc(data[4 * i : 4 * i + width]) for i in range(len(normalised) - k + 1)})


def signature(hashes: Iterable[int]) -> list[int]:
    """One-permutation MinHash over ``BINS`` bins. Each CRC is spread over 64 bits by one
    multiplication with an odd constant (Fibonacci hashing): its top bits choose the bin."""
    mixed = sorted([(h * _C1) & _MASK64 for h in hashes], reverse=True)
    smallest = {m >> 57: m for m in mixed}  # the last write per bin is its minimum
    return [smallest.get(b, _EMPTY) for b in range(BINS)]


def band_keys(sig: list[int]) -> list[int]:
    """Signed 64-bit keys (they fit a bigint column), one per band without an empty bin."""
    keys = []
    for band in range(BANDS):
        rows = sig[band * ROWS : (band + 1) * ROWS]
        if _EMPTY in rows:
            continue
        digest = hashlib.blake2b(struct.pack("<H2Q", band, *rows), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def pack_hashes(values: list[int], typecode: str) -> bytes:
    packed = array(typecode, values)
    if not _LITTLE:
        packed.byteswap()
    return packed.tobytes()


def unpack_hashes(data: bytes, typecode: str) -> list[int]:
    return _unpack_array(data, typecode).tolist()


def _unpack_array(data: bytes, typecode: str = "I") -> array:
    values = array(typecode)
    values.frombytes(bytes(data))
    if not _LITTLE:
        values.byteswap()
    return values


@dataclass(frozen=True)
class Score:
    jaccard: float
    containment: float
    shared: int

    @property
    def flagged(self) -> bool:
        return self.jaccard >= JACCARD_THRESHOLD or self.containment >= CONTAINMENT_THRESHOLD


def score(a: frozenset[int] | set[int], b: Iterable[int], size_b: int | None = None) -> Score:
    """Exact scores of two shingle sets; ``b`` may be any sequence of distinct hashes."""
    size_b = len(b) if size_b is None else size_b  # type: ignore[arg-type]
    if not a or not size_b:
        return Score(0.0, 0.0, 0)
    shared = len(a.intersection(b))
    return Score(shared / (len(a) + size_b - shared), shared / min(len(a), size_b), shared)


def matching_passages(text_a: str, text_b: str, *, k: int = K, limit: int = MAX_PASSAGES) -> list[dict]:
    """Common runs of at least ``MIN_PASSAGE`` normalised characters, as written in each text,
    longest first: {"a": ..., "b": ..., "chars": n}."""
    norm_a, offsets_a = normalise(text_a)
    norm_b, offsets_b = normalise(text_b)
    first_in_b: dict[str, int] = {}
    for j in range(len(norm_b) - k + 1):
        first_in_b.setdefault(norm_b[j : j + k], j)
    blocks = []
    i = 0
    while i <= len(norm_a) - k:
        j = first_in_b.get(norm_a[i : i + k])
        if j is None:
            i += 1
            continue
        length = k
        while i + length < len(norm_a) and j + length < len(norm_b) and norm_a[i + length] == norm_b[j + length]:
            length += 1
        if length >= MIN_PASSAGE:
            blocks.append((length, i, j))
            i += length
        else:
            i += 1
    blocks.sort(key=lambda block: (-block[0], block[1]))
    passages = []
    for length, i, j in blocks[:limit]:
        passages.append(
            {
                "a": text_a[offsets_a[i] : offsets_a[i + length - 1] + 1],
                "b": text_b[offsets_b[j] : offsets_b[j + length - 1] + 1],
                "chars": length,
            }
        )
    return passages


# --- An index in memory (the batch job and the benchmark) ---------------------------------
class Index:
    """Shingle hashes and LSH buckets of many reports, keyed by any sortable id.

    The hashes are kept as compact arrays (8 KB for a 2,000-character report, not a Python
    set ten times that size); a set is built only for the one side of an exact comparison.
    """

    def __init__(self) -> None:
        self.hashes: dict[object, array] = {}
        self.buckets: dict[int, list] = defaultdict(list)

    def add(self, key, hashes: list[int] | array, sig: list[int] | None = None) -> None:
        self.hashes[key] = hashes if isinstance(hashes, array) else array("I", hashes)
        if len(hashes) < MIN_SHINGLES:
            return
        for band_key in band_keys(sig if sig is not None else signature(hashes)):
            self.buckets[band_key].append(key)

    def query(self, hashes: list[int], sig: list[int] | None = None, *, exclude=None) -> list[tuple[object, Score]]:
        """Flagged reports resembling one report (which need not be in the index)."""
        if len(hashes) < MIN_SHINGLES:
            return []
        candidates = set()
        for band_key in band_keys(sig if sig is not None else signature(hashes)):
            bucket = self.buckets.get(band_key)
            if bucket and len(bucket) <= MAX_BUCKET:
                candidates.update(bucket)
        candidates.discard(exclude)
        mine = frozenset(hashes)
        found = []
        for other in candidates:
            result = score(mine, self.hashes[other])
            if result.flagged:
                found.append((other, result))
        return found

    def candidate_pairs(self, *, allowed=None) -> set[tuple]:
        """Pairs sharing at least one band key; ``allowed(a, b)`` may rule pairs out."""
        pairs = set()
        for bucket in self.buckets.values():
            if len(bucket) < 2 or len(bucket) > MAX_BUCKET:
                continue
            ordered = sorted(bucket)
            for n, a in enumerate(ordered):
                for b in ordered[n + 1 :]:
                    if allowed is None or allowed(a, b):
                        pairs.add((a, b))
        return pairs

    def all_pairs(self, *, allowed=None) -> list[tuple[object, object, Score]]:
        found = []
        by_first: dict[object, list] = defaultdict(list)
        for a, b in self.candidate_pairs(allowed=allowed):
            by_first[a].append(b)
        for a, others in by_first.items():
            mine = frozenset(self.hashes[a])  # one set per report, reused for its candidates
            for b in others:
                result = score(mine, self.hashes[b])
                if result.flagged:
                    found.append((a, b, result))
        return found


# --- Stored fingerprints and matches -----------------------------------------------------
def fingerprint_submission(submission, report):
    """Store (or replace) the fingerprint of a submission's report and check it once the
    transaction commits. Called when the files are attached."""

    body = report_body(report)
    normalised, _offsets = normalise(body)
    hashes = shingle_hashes(normalised)
    sig = signature(hashes)
    with transaction.atomic():
        ReportFingerprint.objects.filter(submission=submission).delete()
        fingerprint = ReportFingerprint.objects.create(
            submission=submission,
            campaign_id=submission.campaign_id,
            body=body,
            shingles=pack_hashes(hashes, "I"),
            shingle_count=len(hashes),
            signature=pack_hashes(sig, "Q"),
        )
        if len(hashes) >= MIN_SHINGLES:
            OriginalityBand.objects.bulk_create(
                OriginalityBand(fingerprint=fingerprint, key=key) for key in band_keys(sig)
            )
        transaction.on_commit(lambda: _enqueue_check(submission.pk))
    return fingerprint


def _enqueue_check(submission_id: int) -> None:
    from xinan.campaigns.tasks import task_check_submission_originality

    task_check_submission_originality.enqueue(submission_id)


def _comparable_fingerprints(campaign):
    """Fingerprints of this campaign and of the campaigns that opened before it, leaving out
    withdrawn submissions (their authors took them back)."""

    return ReportFingerprint.objects.filter(campaign__opens_at__lte=campaign.opens_at).exclude(
        submission__state=SubmissionState.WITHDRAWN
    )


def check_submission(submission) -> list:
    """Compare one fingerprinted submission with the others (LSH candidates from the database,
    then exact scores) and replace its stored matches. Returns the matches."""

    fingerprint = ReportFingerprint.objects.select_related("campaign").filter(submission=submission).first()
    if fingerprint is None:
        return []
    hashes = unpack_hashes(fingerprint.shingles, "I")
    keys = band_keys(unpack_hashes(fingerprint.signature, "Q")) if len(hashes) >= MIN_SHINGLES else []
    candidate_ids = (
        OriginalityBand.objects.filter(key__in=keys).exclude(fingerprint=fingerprint).values("fingerprint_id")
    )
    candidates = (
        _comparable_fingerprints(fingerprint.campaign)
        .filter(pk__in=candidate_ids)
        .only("pk", "submission_id", "shingles")
    )
    mine = frozenset(hashes)
    scored = []
    for other in candidates:
        result = score(mine, unpack_hashes(other.shingles, "I"))
        if result.flagged:
            scored.append((other.submission_id, result))
    with transaction.atomic():
        OriginalityMatch.objects.filter(Q(earlier=submission) | Q(later=submission)).delete()
        matches = save_matches([(submission.pk, other_id, result) for other_id, result in scored])
        ReportFingerprint.objects.filter(pk=fingerprint.pk).update(checked_at=timezone.now())
    return matches


def save_matches(found: list[tuple[int, int, Score]]) -> list:
    """Create match rows with their passages for (submission id, submission id, score)."""

    if not found:
        return []
    ids = {i for a, b, _r in found for i in (a, b)}
    bodies = dict(ReportFingerprint.objects.filter(submission_id__in=ids).values_list("submission_id", "body"))
    rows = []
    for a, b, result in found:
        earlier, later = min(a, b), max(a, b)
        passages = [
            {"earlier": p["a"], "later": p["b"], "chars": p["chars"]}
            for p in matching_passages(bodies.get(earlier, ""), bodies.get(later, ""))
        ]
        rows.append(
            OriginalityMatch(
                earlier_id=earlier,
                later_id=later,
                jaccard=round(result.jaccard, 4),
                containment=round(result.containment, 4),
                shared_shingles=result.shared,
                passages_json=json.dumps(passages, ensure_ascii=False),
            )
        )
    return OriginalityMatch.objects.bulk_create(rows, ignore_conflicts=True)


def check_campaign(campaign, *, by=None) -> int:
    """The batch: fingerprint submissions with files but no fingerprint yet (reading their
    stored Word file), then compare every pair within the campaign and with earlier
    campaigns in memory, and replace the campaign's matches. Returns the number of matches."""

    missing = Submission.objects.filter(campaign=campaign, fingerprint__isnull=True).exclude(docx_name="")
    for submission in missing.iterator():
        report = _read_stored_report(submission)
        if report is not None:
            fingerprint_submission(submission, report)
    rows = list(_comparable_fingerprints(campaign).values_list("submission_id", "campaign_id", "shingles", "signature"))
    index = Index()
    campaign_of = {}
    for submission_id, campaign_id, shingles, sig in rows:
        campaign_of[submission_id] = campaign_id
        index.add(submission_id, _unpack_array(shingles), unpack_hashes(sig, "Q"))
    # Pairs of two earlier campaigns were that campaign's business; each run looks at its own.
    found = index.all_pairs(allowed=lambda a, b: campaign.pk in (campaign_of[a], campaign_of[b]))
    with transaction.atomic():
        OriginalityMatch.objects.filter(Q(earlier__campaign=campaign) | Q(later__campaign=campaign)).delete()
        save_matches(found)
        ReportFingerprint.objects.filter(campaign=campaign).update(checked_at=timezone.now())
        if by is not None:
            record("xinan.campaign.originality.check", actor=by, obj=campaign, after={"matches": len(found)})
    return len(found)


def _read_stored_report(submission):

    try:
        data = read_encrypted(submission.docx_name, sha256=submission.docx_sha256)
        return parse_text(extract_text(data, filename="report.docx"))
    except (DocumentReadError, OSError, ValueError):
        return None


def request_campaign_check(campaign, *, by, request=None) -> None:
    """A national admin asks for the batch comparison of a campaign (run by a worker)."""
    from xinan.campaigns.tasks import task_check_campaign_originality

    record("xinan.campaign.originality.check", actor=by, obj=campaign, request=request)
    transaction.on_commit(lambda: task_check_campaign_originality.enqueue(campaign.pk))


# --- Who sees which matches ------------------------------------------------------------
def originality_scope(user) -> tuple[bool, set[int]] | None:
    """(national, province ids) for admins who may read matches; None for anyone else.
    Reviewers will join once the reviews app assigns them submissions."""
    roles = held_roles(user)
    if any(held.role == Role.NATIONAL_ADMIN for held in roles):
        return True, set()
    provinces = {held.organisation_id for held in roles if held.role == Role.PROVINCIAL_ADMIN}
    return (False, provinces) if provinces else None


def matches_for_user(user):
    """Matches a national admin (all) or a provincial admin (either side in their province) may read."""
    scope = originality_scope(user)
    if scope is None:
        return OriginalityMatch.objects.none()
    national, provinces = scope
    matches = OriginalityMatch.objects.all()
    if not national:
        matches = matches.filter(
            Q(earlier__school__parent_id__in=provinces) | Q(later__school__parent_id__in=provinces)
        )
    return matches


def may_read_side(user, submission) -> bool:
    """Whether the reader may see who filed this side of a match (title and school); the
    passages themselves are shown either way, since they are what both reports share."""
    scope = originality_scope(user)
    return scope is not None and (scope[0] or submission.school.parent_id in scope[1])
