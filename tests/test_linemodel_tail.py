"""Stage 2's tail columns: where a dump's article ends and what follows it (linemodel._tail_columns)."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from searchapp.ingest import linemodel

ARTICLE = [
    "The minister said on Tuesday that the canal would open in the spring, after two years of delays.",
    "Engineers had found cracks in the lock gates last winter, and the repairs took longer than planned.",
    "The opening will be marked by a ceremony at the northern lock, the ministry said in a statement.",
    "Shipping companies welcomed the news, saying the route would cut a day from the journey to the coast.",
    "Local officials said they expected some two hundred boats to use the canal in its first month.",
    "The government has promised to publish the final cost of the project before the end of the year.",
]
COMMENTS = [
    "12 comments", "Anna", "June 3, 2024 at 10:15 pm", "Finally, it was about time they finished it.", "Reply",
    "Bob", "June 3, 2024 at 11:02 pm", "Two years late and over budget, as usual for this ministry.", "Reply",
    "Carla", "June 4, 2024 at 8:40 am", "Does anyone know whether the towpath reopens at the same time?", "Reply",
]


def _matrices(lines: list[str]) -> tuple[np.ndarray, np.ndarray]:
    model = linemodel.LineModel()
    verdicts = [None] * len(lines)
    values = model._line_values(lines)
    X1 = linemodel.page_features(values, verdicts, values["score"])
    return X1, model.stages[0].predict(X1)


def test_tail_columns_follow_the_stage2_columns_and_leave_them_as_they_were() -> None:
    X1, p1 = _matrices(["Menu", "Home | News"] + ARTICLE + COMMENTS)
    plain = linemodel.stage2_features(X1, p1)
    with_tail = linemodel.stage2_features(X1, p1, True)
    assert plain.shape[1] == linemodel.N_STAGE2
    assert with_tail.shape == (len(p1), linemodel.N_STAGE2 + linemodel.N_TAIL)
    assert (with_tail[:, :linemodel.N_STAGE2] == plain).all()
    assert linemodel._tail_columns(X1[:0], p1[:0]).shape == (0, linemodel.N_TAIL)


def test_tail_columns_see_the_comment_section_under_the_article() -> None:
    lines = ["Menu", "Home | News"] + ARTICLE + COMMENTS
    X1, p1 = _matrices(lines)
    tail = linemodel._tail_columns(X1, p1)
    last = 2 + len(ARTICLE) - 1          # the article's last line
    first_comment = last + 1
    # the ten lines after the article's last line: short ones and timestamps; the ten before it: prose
    assert tail[last, 0] > 0.3 and tail[last, 1] >= 0.2 and tail[last, 4] <= 0.4
    assert tail[last, 9] >= 0.5
    # counted from the article's centre, the cue, date and short lines pile up below the article
    below = len(lines) - 1
    assert tail[below, 10] > tail[first_comment, 10] >= 0
    assert tail[below, 11] > 0 and tail[below, 12] > tail[last, 12]
    # and the prose share from the centre falls
    assert tail[below, 14] < tail[last, 14]


def test_a_model_says_whether_it_reads_the_tail_columns(tmp_path: Path) -> None:
    shipped = linemodel.LineModel()
    assert shipped.tail is False
    with np.load(linemodel.MODEL_PATH, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    path = tmp_path / "tail.npz"
    np.savez_compressed(path, **arrays, s2_tail=np.bool_(True))
    model = linemodel.LineModel(path)
    assert model.tail is True
    lines = ["Menu"] + ARTICLE + COMMENTS
    # the shipped trees read no tail column: the same probabilities either way
    assert model.probabilities(lines, [None] * len(lines)).tolist() == \
        shipped.probabilities(lines, [None] * len(lines)).tolist()
    shutil.rmtree(tmp_path)


def _tail_reference(X1: np.ndarray, p: np.ndarray) -> np.ndarray:
    """_tail_columns written plainly, line by line (what the model was trained on)."""
    n, k = len(p), linemodel._TAIL_WINDOW
    nw = X1[:, 1]
    flags = np.column_stack([
        nw <= 4, ((X1[:, 26] > 0) | (X1[:, 27] > 0)) & (nw <= 12), X1[:, 31] > 0,
        X1[:, [19, 20, 21, 22, 23, 24, 25, 45, 46, 51]].sum(axis=1) > 0,
        (nw >= 8) & ((X1[:, 3] > 0) | (X1[:, 16] >= 0.15))]).astype(np.float64)
    cm = np.cumsum(p * X1[:, 0])
    centre = min(int(np.searchsorted(cm, 0.5 * cm[-1])), n - 1) if cm[-1] > 0 else 0
    out = np.zeros((n, linemodel.N_TAIL))
    for i in range(n):
        out[i, 0:5] = flags[i + 1:i + 1 + k].sum(axis=0) / k
        out[i, 5:10] = flags[max(0, i - k):i].sum(axis=0) / k
        for j, col in ((10, 3), (11, 1), (12, 0)):
            b = flags[centre + 1:i, col].sum() if i > centre else -flags[i + 1:centre, col].sum()
            if i == centre:
                b = flags[centre, col]
            out[i, j] = np.sign(b) * np.log1p(abs(b))
        out[i, 13] = np.sign(i - centre) * np.log1p(abs(i - centre))
        lo, hi = min(i, centre), max(i, centre)
        out[i, 14] = flags[lo:hi + 1, 4].sum() / (hi - lo + 1)
    return out


def test_tail_columns_are_the_plain_computation() -> None:
    import random

    rnd = random.Random(13)
    pool = ARTICLE + COMMENTS + ["Menu", "Home | News", "Share", "Tags: water, canal", "Read also:", "© 2024 Wire"]
    for size in [1, 2, 3, 9, 10, 11, 12, 30, 80]:
        lines = [rnd.choice(pool) for _ in range(size)]
        X1, p1 = _matrices(lines)
        for p in (p1, np.zeros(size), np.ones(size)):
            got, want = linemodel._tail_columns(X1, p), _tail_reference(X1, p)
            assert np.allclose(got, want, rtol=0, atol=1e-12), size
