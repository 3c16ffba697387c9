"""A crfsuite model's weights, and Viterbi over many sequences at once (numpy, no Django).

python-crfsuite tags one sequence per call; the parse hands the person model tens of
thousands of short clauses a month, and the per-call cost (strings turned into attribute
ids, the item sequence built) was most of the model's time. Here the weights are read once
from the model file and a page's clauses are decoded together: a step of the loop is one
position of every clause. The arithmetic is crfsuite's own (the same sums in the same order,
ties to the lowest label), so the labels are the ones python-crfsuite gives.

The file layout is crfsuite's `crf1d` model (lib/crf/src/crf1d_model.c): a header of
offsets, a FEAT chunk of (type, source, destination, weight) records, and the label and
attribute names in two CQDB string stores, read here through their id-ordered arrays.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_FEATURE = struct.Struct("<IIId")
_STATE, _TRANSITION = 0, 1


@dataclass(frozen=True)
class Weights:
    labels: list[str]
    # (attribute, label index) -> weight, for the features the model kept.
    state: dict[tuple[str, int], float]
    # transition[i, j]: the weight of label j after label i.
    transition: np.ndarray


def _strings(data: bytes, offset: int) -> list[str]:
    """The keys of a CQDB store in id order (its backward array: id -> record)."""
    chunk, _size, _flag, _order, count, backward = struct.unpack_from("<4sIIIII", data, offset)
    if chunk != b"CQDB":
        raise ValueError(f"not a CQDB store at {offset:#x}")
    out = []
    for i in range(count):
        (record,) = struct.unpack_from("<I", data, offset + backward + 4 * i)
        value, size = struct.unpack_from("<iI", data, offset + record)
        if value != i:
            raise ValueError(f"CQDB record {i} holds id {value}")
        start = offset + record + 8
        out.append(data[start:start + size - 1].decode("utf-8"))
    return out


def read_weights(path: Path) -> Weights:
    data = path.read_bytes()
    magic, _size, model_type, _version, _nf, _nl, _na, features, labels_at, attrs_at, _lr, _ar = \
        _HEADER.unpack_from(data, 0)
    if magic != b"lCRF" or model_type != b"FOMC":
        raise ValueError(f"{path}: not a crfsuite CRF1d model")
    labels, attrs = _strings(data, labels_at), _strings(data, attrs_at)
    chunk, _chunk_size, count = struct.unpack_from("<4sII", data, features)
    if chunk != b"FEAT":
        raise ValueError(f"{path}: no feature chunk at {features:#x}")
    state: dict[tuple[str, int], float] = {}
    transition = np.zeros((len(labels), len(labels)))
    for i in range(count):
        kind, source, target, weight = _FEATURE.unpack_from(data, features + 12 + _FEATURE.size * i)
        if kind == _STATE:
            state[attrs[source], target] = weight
        elif kind == _TRANSITION:
            transition[source, target] = weight
    return Weights(labels, state, transition)


# Sequences are decoded in groups of at most this many positions x sequences, so a page of
# thousands of clauses, one of them long, does not hold a table of the longest's steps for all.
_GROUP_CELLS = 200_000


def viterbi(scores: np.ndarray, starts: np.ndarray, lengths: np.ndarray, transition: np.ndarray) -> np.ndarray:
    """The best label of each position of many sequences.

    `scores` holds every sequence's state scores one after another (positions x labels);
    sequence k is rows starts[k] .. starts[k] + lengths[k] - 1 (lengths of at least 1).
    Returns the label index of each row.
    """
    out = np.zeros(len(scores), dtype=np.int8)
    # Longest first, so the sequences still running at a step are a prefix of the group.
    order = np.argsort(-lengths, kind="stable")
    starts, lengths = starts[order], lengths[order]
    first = 0
    while first < len(lengths):
        longest = int(lengths[first])
        size = max(1, min(len(lengths) - first, _GROUP_CELLS // longest))
        group = slice(first, first + size)
        _decode(scores, starts[group], lengths[group], transition, out)
        first += size
    return out


def _decode(scores, starts, lengths, transition, out):
    """Viterbi for a group of sequences sorted longest first; writes their labels to `out`."""
    longest, count, labels = int(lengths[0]), len(lengths), len(transition)
    # running[t]: how many sequences have a position t.
    running = np.searchsorted(-lengths, -np.arange(longest + 1), side="left").tolist()
    # steps[t, k]: the state scores of sequence k's position t (its last, past its end).
    rows = starts + np.minimum(np.arange(longest)[:, None], lengths - 1)
    steps = scores[rows]
    best = steps[0].copy()
    back = np.zeros((longest, count * labels), dtype=np.int8)
    final = np.empty_like(best)
    for t in range(1, longest):
        k, done = running[t], running[t - 1]
        # Sequences that ended at t - 1 keep their last scores for the way back.
        if k < done:
            final[k:done] = best[k:done]
        candidates = best[:k, :, None] + transition
        back[t, :k * labels] = candidates.argmax(axis=1).ravel()
        best[:k] = candidates.max(axis=1) + steps[t, :k]
    final[:running[longest - 1]] = best[:running[longest - 1]]
    label = final.argmax(axis=1)
    offsets = np.arange(count) * labels
    path = np.zeros((longest, count), dtype=np.int8)
    current = np.empty(count, dtype=np.intp)
    for t in range(longest - 1, -1, -1):
        k, stepped = running[t], running[t + 1]
        if stepped:
            current[:stepped] = back[t + 1].take(offsets[:stepped] + current[:stepped])
        # Sequences whose last position is t start their way back with their best label.
        current[stepped:k] = label[stepped:k]
        path[t, :k] = current[:k]
    mine = np.arange(longest)[:, None] < lengths
    out[rows[mine]] = path[mine]
