"""The person model's numpy decoder gives python-crfsuite's labels (archive/ingest/crf.py)."""
import itertools
import random
from pathlib import Path

import numpy as np
import pytest

from archive.ingest import crf, person_model

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def crfsuite_tags(clause):
    return "".join(person_model._tagger().tag(person_model.features(clause)))


def seed_clauses():
    return [clause for page in sorted(SEEDS.glob("*.txt"))
            for _, clause in person_model._clauses(page.read_text(encoding="utf-8"))]


def test_weights_read_from_the_file_are_crfsuites():
    weights = crf.read_weights(person_model.MODEL)
    info = person_model._tagger().info()
    # info() prints six decimals; the file holds the doubles themselves.
    assert len(weights.state) == len(info.state_features)
    assert all(abs(weights.state[attr, weights.labels.index(label)] - w) < 1e-6
               for (attr, label), w in info.state_features.items())
    assert all(abs(weights.transition[weights.labels.index(a), weights.labels.index(b)] - w) < 1e-6
               for (a, b), w in info.transitions.items())


def test_seed_clauses_are_labelled_as_crfsuite_labels_them():
    clauses = seed_clauses()
    assert len(clauses) > 300
    assert person_model.tag_clauses(clauses) == [crfsuite_tags(c) for c in clauses]


@pytest.mark.parametrize("clause", [
    "王阳", "记者王阳报道", "据新华社消息，国家主席江泽民今天会见了日本首相桥本龙太郎",
    "𠀀𠀁张三丰与李四光",  # characters past the BMP, which the model never saw
    "ａｂ１２王军Ｘ", "\x02\x03王\x02\x03", "汤马索·姜尼拉访华",
    "赵" * 300,  # longer than every other clause of its batch
])
def test_odd_clauses_are_labelled_as_crfsuite_labels_them(clause):
    batch = [clause, "李鹏总理", clause[:2]]
    assert person_model.tag_clauses(batch) == [crfsuite_tags(c) for c in batch]


def brute_force(scores, transition):
    """The best path by trying every one (ties to the first in label order, as crfsuite)."""
    best, best_path = None, None
    for path in itertools.product(range(scores.shape[1]), repeat=len(scores)):
        total = scores[0, path[0]] + sum(transition[a, b] + scores[t + 1, b]
                                         for t, (a, b) in enumerate(zip(path, path[1:])))
        if best is None or total > best:
            best, best_path = total, path
    return list(best_path)


def test_viterbi_finds_the_best_path_of_each_sequence():
    rng = random.Random(5)
    transition = np.array([[rng.uniform(-3, 3) for _ in range(3)] for _ in range(3)])
    lengths = [rng.randint(1, 6) for _ in range(40)]
    scores = np.array([[rng.uniform(-4, 4) for _ in range(3)] for _ in range(sum(lengths))])
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    labels = crf.viterbi(scores, starts, np.array(lengths), transition).tolist()
    for start, length in zip(starts, lengths):
        assert labels[start:start + length] == brute_force(scores[start:start + length], transition)


def test_names_found_in_a_batch_are_the_ones_found_alone():
    texts = [page.read_text(encoding="utf-8") for page in sorted(SEEDS.glob("*.txt"))]
    alone = [person_model.find_names(t) for t in texts]
    with person_model.batch(texts[1:]):
        # The first text is not in the batch: it is tagged on its own.
        assert [person_model.find_names(t) for t in texts] == alone
