"""Train the near-duplicate verifier (data/dedupe_model.json) on the training half of the shared data.

`akhbar train-dedupe --data ../shared/data` reads COUNTER (WD pairs are copies, ND pairs are not;
PD pairs are left out) and bend-the-truth (a rewrite is not a copy of its original). Fixed split:
COUNTER pairs with an odd number and bend-the-truth's Train folder train; even COUNTER pairs and
the Test folder are held out for `akhbar eval dedupe`, which scores only them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from akhbar.evaluate.stories import Labelled, held_out, load
from akhbar.stories.config import params
from akhbar.stories.features import article_text
from akhbar.stories.verify import MODEL, Model, pair_features

POSITIVE, NEGATIVE = ("WD",), ("ND", "REWRITE")


def examples(data: Labelled, *, test: bool) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Features, 1/0 targets and labels of the labelled WD/ND/REWRITE pairs on one side of the split."""
    arts = {a.id: a for a in data.articles}
    rows, labels = [], []
    for (x, y), lab in sorted(data.pairs.items()):
        if lab in POSITIVE + NEGATIVE and held_out(arts[x].source_id or "") == test:
            rows.append(pair_features(article_text(arts[x]), article_text(arts[y])))
            labels.append(lab)
    return np.array(rows, dtype=float), np.array([lab in POSITIVE for lab in labels], dtype=int), labels


def _logistic(c: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000))


def threshold(probs: np.ndarray, labels: list[str], max_flagged: float) -> float:
    """Lowest probability cut at which no negative kind (ND, REWRITE) has more than `max_flagged` flagged."""
    labs = np.array(labels)
    for cut in np.round(np.arange(0.05, 1.0, 0.01), 2):
        if all((probs[labs == k] >= cut).mean() <= max_flagged for k in NEGATIVE if (labs == k).any()):
            return float(cut)
    return 0.99


def fit(x: np.ndarray, y: np.ndarray, labels: list[str]) -> tuple[Model, dict[str, float]]:
    """Fit on all rows; the cut comes from 5-fold cross-validated probabilities on the same rows."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    p = params()["dedupe"]
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    strata = [NEGATIVE.index(k) + 1 if k in NEGATIVE else 0 for k in labels]
    cv = cross_val_predict(_logistic(p["verify_c"]), x, y, cv=folds.split(x, strata), method="predict_proba")[:, 1]
    cut = threshold(cv, labels, p["verify_max_flagged"])
    pipe = _logistic(p["verify_c"]).fit(x, y)
    scaler, lr = pipe[0], pipe[-1]
    model = Model(tuple(scaler.mean_), tuple(scaler.scale_), tuple(lr.coef_[0]), float(lr.intercept_[0]), cut)
    labs = np.array(labels)
    figures = {f"cv_{k.lower()}_flagged": float((cv[labs == k] >= cut).mean()) for k in POSITIVE + NEGATIVE}
    return model, figures


def retrain(data: Path, out: Path | None = None) -> dict[str, float]:
    """Train on the training half of COUNTER and bend-the-truth under `data`, write the model, return figures."""
    parts = [examples(load(data / name), test=False) for name in ("counter", "bend-the-truth")]
    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    labels = [lab for p in parts for lab in p[2]]
    model, figures = fit(x, y, labels)
    target = out or Path(str(Path(__file__).parent / MODEL))
    info = {"trained_by": "akhbar train-dedupe --data ../shared/data",
            "split": "COUNTER odd pair numbers + bend-the-truth Train; held out: even pairs + Test",
            "pairs": {k: labels.count(k) for k in POSITIVE + NEGATIVE}, **{k: round(v, 3) for k, v in figures.items()}}
    target.write_text(model.to_json(**info) + "\n", encoding="utf-8")
    return {"pairs": len(labels), "threshold": model.threshold, **figures}
