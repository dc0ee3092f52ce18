"""The exact weights of a CRFsuite model, read from its file, for tagging with numpy.

pycrfsuite's `Tagger.info()` parses CRFsuite's text dump, which prints every weight with six
decimals; scores summed from those would differ from CRFsuite's own. The model file keeps the
weights as doubles in its feature chunk (CRFsuite's `crf1d_model.c`: a 48-byte header, then
`FEAT`, size, count and 20-byte features: type, source, destination as uint32 and the weight
as a double; type 0 = attribute -> label, type 1 = label -> label). Names come from `info()`,
and every weight read is checked against its printed value, so a file of another layout is
refused (None) rather than misread.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_HEADER = struct.Struct("<4sI4sIIIIIIIII")  # magic, size, type, version, 3 counts, 5 offsets
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_PRINTED = 5.0001e-7  # the dump rounds to six decimals


@dataclass(frozen=True)
class Weights:
    """A model's labels (in CRFsuite's id order), its attribute rows and transition scores."""

    labels: list[str]
    rows: dict[str, int]  # attribute name -> row of `state`
    state: np.ndarray  # (attributes + 1, labels): weight of each attribute for each label; last row 0
    transitions: np.ndarray  # (labels, labels): score of label i followed by label j


def read(path: Path, info: object) -> Weights | None:
    """The weights of the model at `path`; `info`: its `pycrfsuite.Tagger.info()`. None when the
    file is not the CRFsuite layout read here or disagrees with the dump."""
    data = path.read_bytes()
    if len(data) < _HEADER.size:
        return None
    magic, _size, kind, version, _n, n_labels, n_attrs, off, *_rest = _HEADER.unpack_from(data)
    if (magic, kind, version) != (b"lCRF", b"FOMC", 100) or data[off : off + 4] != b"FEAT":
        return None
    (count,) = struct.unpack_from("<I", data, off + 8)
    feats = np.frombuffer(data, _FEATURE, count, off + 12)
    labels = sorted(info.labels, key=lambda name: int(info.labels[name]))
    names = sorted(info.attributes, key=lambda name: int(info.attributes[name]))
    if len(labels) != n_labels or len(names) != n_attrs:
        return None
    state = np.zeros((n_attrs + 1, n_labels))
    trans = np.zeros((n_labels, n_labels))
    is_state, is_trans = feats["type"] == 0, feats["type"] == 1
    if not (is_state | is_trans).all() or feats["dst"].max(initial=0) >= n_labels:
        return None
    s, t = feats[is_state], feats[is_trans]
    if s["src"].max(initial=0) >= n_attrs or t["src"].max(initial=0) >= n_labels:
        return None
    state[s["src"], s["dst"]] = s["weight"]
    trans[t["src"], t["dst"]] = t["weight"]
    if not (_agrees(state, s, info.state_features, names, labels)
            and _agrees(trans, t, info.transitions, labels, labels)):
        return None
    return Weights(labels, {name: k for k, name in enumerate(names)}, state, trans)


def _agrees(table: np.ndarray, feats: np.ndarray, printed: dict, sources: list[str], labels: list[str]) -> bool:
    """Whether the features read are exactly the dump's, each weight equal to its printed value."""
    if len(printed) != len(feats):
        return False
    src = {name: k for k, name in enumerate(sources)}
    dst = {name: k for k, name in enumerate(labels)}
    try:
        at = tuple(np.array([(src[a], dst[b]) for a, b in printed]).T) if printed else ([], [])
    except KeyError:
        return False
    seen = np.zeros(table.shape, bool)
    seen[feats["src"], feats["dst"]] = True
    return bool(seen[at].all()) and bool(np.all(np.abs(table[at] - np.fromiter(printed.values(), float)) <= _PRINTED))
