"""Viterbi decoding of a linear-chain CRF with numpy, and a check that it is CRFsuite's path.

A token-by-token numpy Viterbi costs a few µs of call overhead per token, more than the
scores. Long sequences are cut into chunks decoded side by side, each lane starting WARM_UP
tokens before its chunk from a flat start: best-path scores forget their start once the
surviving paths merge, so a lane's scores are the true ones plus a constant when, at the token
before its chunk, they differ from the previous chunk's by the same amount for every label
(max-plus maps are monotone and shift-equivariant). That is checked for every chunk; if any
lane has not forgotten its start, the whole sequence is decoded token by token. Short ones
(headlines) are scanned whole with max-plus matrix products.

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
SCAN_UP_TO = 40  # shorter sequences are scanned whole (fewer numpy calls than lanes)


def decode(emission: np.ndarray, transitions: np.ndarray, drift: float) -> list[int] | None:
    """Label ids of the best path; `emission` (T, L) state scores, `transitions` (L, L) from -> to,
    `drift` how far rounding can move a path's score (`drift_bound`). None when a decision on the
    path is closer than that."""
    n, labels = emission.shape
    if n == 0:
        return []
    best, slack = _best_scores(emission, transitions, drift)  # (L, T); tokens innermost throughout
    ways = best[:, None, :-1] + transitions[:, :, None]  # [i, j, t]: best path to i at t, then j at t + 1
    back = ways.argmax(axis=0)  # the first best, as CRFsuite keeps it
    pointers = back.tolist()
    last = best[:, -1].tolist()
    path = [last.index(max(last))]
    for t in range(n - 2, -1, -1):
        path.append(pointers[path[-1]][t])
    path.reverse()
    if labels > 1 and _margin(np.array(last), ways, back, path) <= 4.0 * slack:
        return None
    return path


def _best_scores(emission: np.ndarray, transitions: np.ndarray, drift: float) -> tuple[np.ndarray, float]:
    """(L, T): the score of the best path ending in each label at each token (up to one constant),
    and how far rounding can have moved them."""
    n = len(emission)
    if n <= SCAN_UP_TO:
        return _scan(emission, transitions), drift
    best, spread = _lanes(emission, transitions, CHUNK, WARM_UP)
    if (spread <= drift).all():
        return best, (len(spread) + 1) * 4.0 * drift
    best, _ = _lanes(emission, transitions, n, 0)
    return best, drift


def _scan(emission: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """Best scores (L, T) of a short sequence from the max-plus products of its steps, all
    prefixes at once in log2(T) rounds (Hillis and Steele, "Data parallel algorithms", 1986):
    fewer numpy calls than token by token, at L times the arithmetic."""
    n, labels = emission.shape
    prod = transitions[:, None, :] + emission[None, 1:, :]  # [i, t, j]: token t in i -> token t + 1 in j
    d = 1
    while d < n - 1:  # prod[:, t] becomes the product of steps max(0, t - 2d + 1) .. t
        ways = prod[:, :-d, :].transpose(2, 0, 1)[:, :, :, None] + prod[None, :, d:, :].transpose(1, 0, 2, 3)
        prod[:, d:, :] = np.maximum.reduce(ways, axis=0)  # [k, i, t, j] -> [i, t, j]
        d *= 2
    rest = np.maximum.reduce(emission[0][:, None, None] + prod, axis=0)  # (T - 1, L)
    return np.concatenate([emission[:1], rest]).T


def _lanes(emission: np.ndarray, transitions: np.ndarray, chunk: int, warm: int) -> tuple[np.ndarray, np.ndarray]:
    """Best scores (L, T) decoded in lanes of `chunk` tokens after `warm` tokens, and per lane
    after the first how far it is from differing from the previous lane by a constant at the
    handover."""
    n, labels = emission.shape
    lanes = -(-n // chunk)
    # lane c at step k is at token c * chunk + k - warm; lane 0 starts before the first token
    # with no scores and no transitions, so its scores are exact from the first token on
    padded = np.zeros((warm + lanes * chunk, labels))
    padded[warm : warm + n] = emission
    at = np.arange(warm + chunk)[:, None] + chunk * np.arange(lanes)  # (step, lane): padded token
    lane_emission = padded[at].transpose(0, 2, 1).copy()  # (step, label, lane)
    free = transitions[:, :, None]
    first = np.repeat(free, lanes, axis=2)
    first[:, :, 0] = 0.0  # lane 0 before and at the first token: no transition
    scores = np.empty((warm + chunk, labels, lanes))
    buf = np.empty((labels, labels, lanes))
    cur = np.zeros((labels, lanes))
    for k in range(warm + chunk):
        np.add(cur[:, None, :], first if k <= warm else free, out=buf)  # [i, j, lane]
        cur = scores[k]
        np.maximum.reduce(buf, axis=0, out=cur)
        cur += lane_emission[k]
    if lanes == 1:
        return scores[warm : warm + n, :, 0].T, np.zeros(0)
    diff = scores[warm - 1, :, 1:] - scores[-1, :, :-1]  # (label, lane): each lane minus the previous one
    spread = diff.max(0) - diff.min(0)
    shift = np.concatenate([[0.0], np.cumsum(diff.mean(0))])
    best = (scores[warm:] - shift).transpose(1, 2, 0).reshape(labels, lanes * chunk)
    return best[:, :n], spread


def _margin(last: np.ndarray, ways: np.ndarray, back: np.ndarray, path: list[int]) -> float:
    """The smallest lead of a chosen label or back pointer over the runner-up on the path (0 for a tie)."""
    final = np.partition(last, -2)
    lead = float(final[-1] - final[-2])
    if len(path) > 1:
        chosen, at = np.array(path[1:]), np.arange(len(path) - 1)
        into = ways[:, chosen, at]  # (L, T-1): the ways into each chosen label
        pointer = back[chosen, at]
        top = into[pointer, at]
        into[pointer, at] = -np.inf
        lead = min(lead, float((top - np.maximum.reduce(into, axis=0)).min()))
    return lead


def drift_bound(terms: int, size: float) -> float:
    """How far a path score summed in any order can be from the exact sum, with room to spare:
    `terms` numbers whose absolute values add up to at most `size` (Higham §4.2: (terms-1) u size).

    A decision holds for CRFsuite's sums and for these alike when it wins by more than twice
    that drift on both sides."""
    return 2.0 * terms * _U * size
