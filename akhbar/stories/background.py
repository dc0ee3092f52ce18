"""Background document frequencies so TF-IDF works on a small or new corpus (five seeds, first batch).

Built from the 500 real articles of bend-the-truth (../shared/data, free to use) by
`python -m akhbar.stories.background ../shared/data/bend-the-truth`; only word counts ship.
"""

from __future__ import annotations

import sys
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path

from akhbar.stories.features import content_terms

FILE = "data/background_df.tsv"


@cache
def background_df() -> tuple[int, dict[str, int]]:
    """(number of documents, {folded word: document frequency}) of the shipped table."""
    text = resources.files("akhbar.stories").joinpath(FILE).read_text("utf-8")
    n, df = 0, {}
    for line in text.splitlines():
        if line.startswith("# documents:"):
            n = int(line.split(":")[1])
        elif line and not line.startswith("#"):
            word, count = line.split("\t")
            df[word] = int(count)
    return n, df


def build(folder: Path, min_df: int = 2) -> str:
    """The TSV text of document frequencies over the `Real` articles under `folder`."""
    files = sorted(folder.rglob("Real/*.txt"))
    df: Counter = Counter()
    for f in files:
        df.update(set(content_terms(f.read_text("utf-8", errors="replace"))))
    lines = [
        "# Background document frequencies of folded content words (akhbar.stories.background).",
        f"# Source: bend-the-truth real articles ({folder.name}); words in fewer than {min_df} documents omitted.",
        f"# documents:{len(files)}",
    ]
    lines += [f"{w}\t{c}" for w, c in sorted(df.items(), key=lambda kv: (-kv[1], kv[0])) if c >= min_df]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    out = Path(__file__).parent / FILE
    out.write_text(build(Path(sys.argv[1])), "utf-8")
    print(f"wrote {out}")
