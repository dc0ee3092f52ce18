"""Viterbi decoding of a linear-chain CRF with numpy, and a check that it is CRFsuite's path.

A step-by-step numpy Viterbi costs ~5 µs per token in call overhead, more than the scores. Here
the tokens are cut into about sqrt(T) chunks; the max-plus products of each chunk's step
matrices (transition + emission) are built for all chunks at once, the chunk boundaries are
joined in order, and every token's best scores follow in one step (the scan of Blelloch,
"Prefix sums and their applications", 1990, in the max-plus semiring).

Floating-point sums in another order than CRFsuite's (`crf1dc_viterbi`) can differ in the last
bits, so the path is returned only when every decision on it (the last label, each back
pointer) wins by more than any such rounding can move (a bound from the scores' absolute
sizes, Higham, "Accuracy and Stability of Numerical Algorithms", 2002, §4.2); otherwise None,
and the caller asks CRFsuite. Ties are never decided here.
"""

from __future__ import annotations

import math

import numpy as np

_U = 2.0**-53  # unit roundoff of a double


def decode(emission: np.ndarray, transitions: np.ndarray, drift: float) -> list[int] | None:
    """Label ids of the best path; `emission` (T, L) state scores, `transitions` (L, L) from -> to,
    `drift` how far rounding can move a path's score (`drift_bound`). None when a decision on the
    path is closer than that."""
    n, labels = emission.shape
    if n == 0:
        return []
    best = _best_scores(emission, transitions)
    step = best[:-1, :, None] + transitions  # [t, i, j]: best path to i at t, then j at t + 1
    back = step.argmax(1).tolist()
    path = [int(best[-1].argmax())]
    for t in range(n - 2, -1, -1):
        path.append(back[t][path[-1]])
    path.reverse()
    if labels > 1 and _margin(best[-1], step, path) <= 4.0 * drift:
        return None
    return path


def _best_scores(emission: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """(T, L): the score of the best path ending in each label at each token."""
    n, labels = emission.shape
    if n == 1:
        return emission.copy()
    steps = transitions + emission[1:, None, :]  # (T-1, L, L): token t-1 in i -> token t in j
    size = max(1, math.isqrt(n - 1))
    chunks = -(-(n - 1) // size)
    pad = chunks * size - (n - 1)
    if pad:
        same = np.full((labels, labels), -np.inf)
        np.fill_diagonal(same, 0.0)  # the max-plus identity: padding changes nothing
        steps = np.concatenate([steps, np.broadcast_to(same, (pad, labels, labels))])
    steps = steps.reshape(chunks, size, labels, labels)
    prod = np.empty_like(steps)  # prod[c, k]: product of chunk c's steps 0..k
    prod[:, 0] = steps[:, 0]
    for k in range(1, size):
        prod[:, k] = (prod[:, k - 1, :, :, None] + steps[:, k, None, :, :]).max(2)
    starts = np.empty((chunks, labels))
    cur = emission[0]
    for c in range(chunks):
        starts[c] = cur
        cur = (cur[:, None] + prod[c, -1]).max(0)
    inner = (starts[:, None, :, None] + prod).max(2).reshape(chunks * size, labels)
    return np.concatenate([emission[:1], inner[: n - 1]])


def _margin(last: np.ndarray, step: np.ndarray, path: list[int]) -> float:
    """The smallest lead of a chosen label or back pointer over the runner-up on the path."""
    final = np.partition(last, -2)
    lead = final[-1] - final[-2]
    if len(path) > 1:
        chosen = step[np.arange(len(path) - 1), :, path[1:]]  # (T-1, L): the ways into each chosen label
        top = np.partition(chosen, -2, axis=1)
        lead = min(lead, float((top[:, -1] - top[:, -2]).min()))
    return float(lead)


def drift_bound(terms: int, size: float) -> float:
    """How far a path score summed in any order can be from the exact sum, with room to spare:
    `terms` numbers whose absolute values add up to at most `size` (Higham §4.2: (terms-1) u size).

    A decision holds for CRFsuite's sums and for these alike when it wins by more than twice
    that drift on both sides."""
    return 2.0 * terms * _U * size
