"""Ingest batches (``sitrep.run.batches``): sized by characters, smaller at the end of a run."""

from __future__ import annotations

import random

from sitrep.run.batches import TAIL_BATCHES, TAIL_FLOOR, TASK_CHARS, char_batches, greedy


def _texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["x" * rng.randint(300, 30_000) for _ in range(n)]


def test_one_slot_gives_greedy_batches() -> None:
    texts = _texts(200)
    assert list(char_batches(texts, 32, len, slots=1)) == list(greedy(texts, 32, len,
                                                                       TASK_CHARS))


def test_batches_keep_every_item_in_order_and_shrink_at_the_end() -> None:
    texts = _texts(400)
    for slots in (2, 4, 16):
        batches = list(char_batches(texts, 32, len, slots=slots))
        assert [t for b in batches for t in b] == texts
        assert all(len(b) <= 32 for b in batches)
        chars = [sum(map(len, b)) for b in batches]
        # A batch passes the target only when it is one article.
        assert all(c <= TASK_CHARS or len(b) == 1 for b, c in zip(batches, chars, strict=True))
        # The last batches are small: none of the final 2 × slots holds more than one
        # article beyond the floor.
        for b, c in zip(batches[-2 * slots:], chars[-2 * slots:], strict=True):
            assert len(b) == 1 or c <= max(TAIL_FLOOR, TASK_CHARS // 2)


def test_batches_before_the_tail_are_greedy_ones() -> None:
    texts = _texts(400)
    plain = list(greedy(texts, 32, len, TASK_CHARS))
    tailed = list(char_batches(texts, 32, len, slots=2))
    same = 0
    for a, b in zip(plain, tailed, strict=False):
        if a != b:
            break
        same += 1
    assert same >= len(plain) - TAIL_BATCHES * 2 * 2  # only the last few batches differ


def test_an_empty_input_gives_no_batch() -> None:
    assert list(char_batches([], 32, len, slots=4)) == []
