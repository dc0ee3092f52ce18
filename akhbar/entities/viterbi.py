"""Viterbi decoding of a linear-chain CRF with numpy, and a check that it is CRFsuite's path.

A token-by-token numpy Viterbi costs a few µs of call overhead per token, more than the
scores. Here the tokens are cut into chunks decoded side by side, each lane starting WARM_UP
tokens before its chunk from a flat start: best-path scores forget their start once the
surviving paths merge, so a lane's scores are the true ones plus a constant when, at the token
before its chunk, they differ from the previous chunk's by the same amount for every label
(max-plus maps are monotone and shift-equivariant). That is checked for every chunk; if any
lane has not forgotten its start, the whole sequence is decoded token by token.

Sums in another order than CRFsuite's (`crf1dc_viterbi`) can differ in the last bits, so the
path is returned only when every decision on it (the last label, each back pointer) wins by
more than any such rounding can move (a bound from the scores' absolute sizes, Higham,
"Accuracy and Stability of Numerical Algorithms", 2002, §4.2); otherwise None, and the caller
asks CRFsuite. Ties are never decided here.
"""

from __future__ import annotations

import numpy as np

_U = 2.0**-53  # unit roundoff of a double
CHUNK = 8  # tokens per lane
WARM_UP = 10  # tokens a lane runs before its chunk (measured: a lane fails to merge at ~1 chunk in 2,000)


def decode(emission: np.ndarray, transitions: np.ndarray, drift: float) -> list[int] | None:
    """Label ids of the best path; `emission` (T, L) state scores, `transitions` (L, L) from -> to,
    `drift` how far rounding can move a path's score (`drift_bound`). None when a decision on the
    path is closer than that."""
    n, labels = emission.shape
    if n == 0:
        return []
    best, slack = _best_scores(emission, transitions, drift)
    step = best[:-1, None, :] + transitions.T  # [t, j, i]: best path to i at t, then j at t + 1
    back = step.argmax(2).tolist()
    path = [int(best[-1].argmax())]
    for t in range(n - 2, -1, -1):
        path.append(back[t][path[-1]])
    path.reverse()
    if labels > 1 and _margin(best[-1], step, path) <= 4.0 * slack:
        return None
    return path


def _best_scores(emission: np.ndarray, transitions: np.ndarray, drift: float) -> tuple[np.ndarray, float]:
    """(T, L): the score of the best path ending in each label at each token (up to one constant),
    and how far rounding can have moved them."""
    n = len(emission)
    if n > 2 * (CHUNK + WARM_UP):
        best, spread = _lanes(emission, transitions, CHUNK, WARM_UP)
        if (spread <= drift).all():
            return best, (len(spread) + 1) * 4.0 * drift
    best, _ = _lanes(emission, transitions, n, 0)
    return best, drift


def _lanes(emission: np.ndarray, transitions: np.ndarray, chunk: int, warm: int) -> tuple[np.ndarray, np.ndarray]:
    """Best scores decoded in lanes of `chunk` tokens after `warm` tokens, and per lane after the
    first how far it is from differing from the previous lane by a constant at the handover."""
    n, labels = emission.shape
    lanes = -(-n // chunk)
    # step[p]: score of moving from label i to j at padded token p (token p - warm); the first
    # token has no transition and the padding before it scores nothing, so lane 0 is exact
    steps = np.zeros((labels, warm + lanes * chunk, labels))
    steps[:, warm] = emission[0]
    np.add(transitions[:, None, :], emission[None, 1:, :], out=steps[:, warm + 1 : warm + n])
    at = np.arange(warm + chunk)[:, None] + chunk * np.arange(lanes)[None, :]  # (warm + chunk, lanes)
    lane_steps = steps[:, at]  # (labels i, warm + chunk, lanes, labels j)
    scores = np.empty((warm + chunk, lanes, labels))
    buf = np.empty((labels, lanes, labels))
    cur = np.zeros((labels, lanes))
    for k in range(warm + chunk):
        np.add(cur[:, :, None], lane_steps[:, k], out=buf)
        np.maximum.reduce(buf, axis=0, out=scores[k])
        cur = scores[k].T
    if lanes == 1:
        return scores[warm:, 0], np.zeros(0)
    diff = scores[warm - 1, 1:] - scores[-1, :-1]  # each lane minus the previous one, before its chunk
    spread = diff.max(1) - diff.min(1)
    shift = np.concatenate([[0.0], np.cumsum(diff.mean(1))])
    best = (scores[warm:] - shift[:, None]).transpose(1, 0, 2).reshape(lanes * chunk, labels)
    return best[:n], spread


def _margin(last: np.ndarray, step: np.ndarray, path: list[int]) -> float:
    """The smallest lead of a chosen label or back pointer over the runner-up on the path."""
    final = np.partition(last, -2)
    lead = float(final[-1] - final[-2])
    if len(path) > 1:
        ways = step[np.arange(len(path) - 1), path[1:]]  # (T-1, L): the ways into each chosen label
        top = np.partition(ways, -2, axis=1)
        lead = min(lead, float((top[:, -1] - top[:, -2]).min()))
    return lead


def drift_bound(terms: int, size: float) -> float:
    """How far a path score summed in any order can be from the exact sum, with room to spare:
    `terms` numbers whose absolute values add up to at most `size` (Higham §4.2: (terms-1) u size).

    A decision holds for CRFsuite's sums and for these alike when it wins by more than twice
    that drift on both sides."""
    return 2.0 * terms * _U * size
