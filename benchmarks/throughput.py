"""Full-pipeline throughput on a stream of real Urdu articles: read -> clean -> every per-article
stage -> store -> near-duplicates and stories, as `akhbar ingest --workers N` runs it.

    python benchmarks/throughput.py [--n 20000] [--workers 2] [--data ../shared/data] [--db FILE]

The stream is made from the real articles of ../shared/data (bend-the-truth and COUNTER: news
articles of ≈1,300 characters, full of agency copies and rewrites, so near-duplicate checking works
hard). Copy 0 of each article is the article as read; in copy r > 0 every word that is not a stop
word, a knowledge-base name, an event verb or an actor word is swapped for another
word of about the same corpus frequency, with one swap table per round r. So a round keeps the real
data's copies and rewrites (an agency text and its newspaper version change alike) and its names and
events, while copies of different rounds are new stories, not near-duplicates of each other.
Articles are dated 300 a day in stream order, as a multi-outlet feed arrives, so the stories stage's
30-day windows hold what they would on a real archive. Documents are made as the ingest reads them,
so the peak RSS printed is the pipeline's, not the stream's. Without ../shared/data it falls
back to the seed articles and says so.

Prints the rate of every STORY_BATCH slice (wall time between the parent's store writes, so the
corpus stages running beside the pool are included), the overall rate, CPU seconds of the parent
and of its child processes, and peak RSS. The last line holds `articles_per_s=`,
`steady_articles_per_s=` (median slice of the stream's second half, once the stories stage's
window is full) and `cpu_ms_per_article=`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collections import Counter  # noqa: E402
from collections.abc import Iterator  # noqa: E402

from akhbar.entities.kb import kb  # noqa: E402
from akhbar.events.lexicon import actor_words, lexicon  # noqa: E402
from akhbar.ingest.readers import RawDoc, iter_files, read_file  # noqa: E402
from akhbar.pipeline import STORY_BATCH, IngestReport, ingest_docs  # noqa: E402
from akhbar.store import open_store  # noqa: E402
from akhbar.text.normalize import fold  # noqa: E402
from akhbar.text.split import WORD_RE  # noqa: E402
from akhbar.text.stopwords import stop_words  # noqa: E402

PER_DAY = 300
START = dt.date(2020, 1, 1)
BAND = 64  # a word is replaced by another of about the same corpus frequency (rank band of this width)


def real_docs(data: Path) -> list[RawDoc]:
    """Every article of the news data sets under `data`, or the seeds (with a warning) without them."""
    folders = [data / name for name in ("bend-the-truth", "counter") if (data / name).is_dir()]
    if not folders:
        print(f"warning: no bend-the-truth or counter under {data}; using the five seed articles", file=sys.stderr)
        folders = [ROOT / "examples" / "seeds"]
    docs = []
    for path in iter_files(folders):
        if path.name != "SOURCE.txt":
            docs.extend(read_file(path))
    return docs


def kept_words() -> set[str]:
    """Folded words every copy keeps: stop words, knowledge-base names, event verbs and actor words, so
    each stage finds in a copy the entities and events it finds in the real article."""
    base = kb()
    keys = set(base.exact) | set(base.demonyms)
    keys |= {" ".join(trigger) for entries in lexicon().index.values() for trigger, _ in entries}
    keys |= {" ".join(w.words) for entries in actor_words().values() for w in entries}
    return {w for k in keys for w in k.split()} | set(stop_words())


def _swapped(text: str | None, swap: dict[str, str]) -> str | None:
    return text and WORD_RE.sub(lambda m: swap.get(m.group(), m.group()), text)


def stream(base: list[RawDoc], n: int, seed: int = 7) -> Iterator[RawDoc]:
    """`n` documents: the real ones as read, then copies of them in which every other word is swapped
    for one of about the same frequency, the same swap for every article of a round (copy r of all)."""
    kept = kept_words()
    counts = Counter(w for d in base for w in WORD_RE.findall(d.content) if fold(w) not in kept)
    ranked = [w for w, _ in counts.most_common()]
    for i in range(n):
        r, j = divmod(i, len(base))
        if j == 0 and r > 0:
            rng = random.Random(seed * 1_000_003 + r)
            swap: dict[str, str] = {}
            for k in range(0, len(ranked), BAND):
                band = ranked[k : k + BAND]
                shuffled = band[:]
                rng.shuffle(shuffled)
                swap.update(zip(band, shuffled, strict=True))
        doc = base[j]
        content, title = (doc.content, doc.title) if r == 0 else (_swapped(doc.content, swap), _swapped(doc.title, swap))
        yield RawDoc(content, doc.format, f"tp-{i}", f"throughput:{i}", title=title,
                     outlet=doc.outlet, published=START + dt.timedelta(days=i // PER_DAY))


def main() -> None:
    """Ingest the stream and print slice rates, CPU and memory."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000, help="documents in the stream")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--db", help="SQLite file (default: a temporary one)")
    args = ap.parse_args()
    chars: list[int] = []

    def docs() -> Iterator[RawDoc]:
        for doc in stream(real_docs(args.data), args.n):
            chars.append(len(doc.content))
            yield doc

    db = args.db or str(Path(tempfile.mkdtemp()) / "throughput.db")
    store = open_store(db)
    marks: list[tuple[int, float]] = []
    report = IngestReport()

    def on_article(_article, created: bool) -> None:
        if created and report.added % STORY_BATCH == 0:
            marks.append((report.added, time.perf_counter()))

    start = time.perf_counter()
    ingest_docs(docs(), store, report, workers=args.workers, on_article=on_article)
    wall = time.perf_counter() - start
    store.close()
    rates = [(b - a) / (tb - ta) for (a, ta), (b, tb) in zip(marks, marks[1:], strict=False)]
    for (count, _), rate in zip(marks[1:], rates, strict=False):
        print(f"slice up_to={count} articles_per_s={rate:.1f}")
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    steady = statistics.median(rates[len(rates) // 2 :] or [0.0])  # once the 30-day window is full
    print(f"docs={len(chars)} mean_chars={statistics.mean(chars or [0]):.0f} added={report.added} errors={len(report.errors)} "
          f"wall_s={wall:.1f} parent_cpu_s={own.ru_utime + own.ru_stime:.1f} "
          f"children_cpu_s={kids.ru_utime + kids.ru_stime:.1f} peak_rss_mb={own.ru_maxrss / 1024:.0f} "
          f"children_peak_rss_mb={kids.ru_maxrss / 1024:.0f}")
    print(f"articles_per_s={report.added / wall:.1f} steady_articles_per_s={steady:.1f} "
          f"cpu_ms_per_article={1000 * cpu / max(report.added, 1):.2f}")


if __name__ == "__main__":
    main()
