"""Event commands: `akhbar events`, `akhbar timeline`, `akhbar eval events|quotes`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from akhbar.cli.app import DbOption, JsonOption, app, console, echo_json, err_console, eval_app, get_store
from akhbar.errors import QueryError


def _pair(actors: str | None) -> tuple[str, str] | None:
    if not actors:
        return None
    parts = [p.strip().upper() for p in actors.split(",") if p.strip()]
    if len(parts) != 2:
        raise QueryError(f"--actors takes two actor codes separated by a comma (e.g. USA,RUS), not {actors!r}")
    return parts[0], parts[1]


@app.command()
def events(
    actors: str = typer.Option(None, "--actors", help="Two actor codes, e.g. USA,RUS (either direction)."),
    type: str = typer.Option(None, "--type", help="PLOVER root type, e.g. CONSULT."),
    json: bool = JsonOption,
    csv: Path = typer.Option(None, "--csv", help="Also write the GDELT-like flat table to this CSV file."),
    limit: int = typer.Option(1000, "--limit", help="At most this many events."),
    db: str = DbOption,
) -> None:
    """List coded events over time (date, actors, type, score, evidence)."""
    from akhbar.events.lexicon import PLOVER_TYPES
    from akhbar.events.timeline import event_rows, write_csv

    if type and type.upper() not in PLOVER_TYPES:
        raise QueryError(f"--type {type!r} is not a PLOVER root type; use one of {', '.join(PLOVER_TYPES)}")
    rows = event_rows(get_store(db), _pair(actors), type.upper() if type else None, limit)
    if csv:
        write_csv(rows, csv)
        err_console.print(f"{len(rows)} events written to {csv}")
    if json:
        echo_json(rows)
        return
    table = Table()
    for name in ("source", "type", "target", "mode", "score", "article", "date"):
        table.add_column(name, no_wrap=True)
    table.add_column("evidence", overflow="ellipsis", no_wrap=True, max_width=60)
    for r in rows:
        table.add_row(r["actor1"] or "-", r["event_type"], r["actor2"] or "-", r["mode"],
                      f"{r['goldstein']:+.1f}", str(r["article_id"]), r["event_date"] or "-", escape(r["evidence"]))
    console.print(table)
    console.print(f"events={len(rows)}")


@app.command()
def timeline(
    actor_a: str = typer.Argument(..., help="First actor code, e.g. USA."),
    actor_b: str = typer.Argument(..., help="Second actor code, e.g. RUS."),
    plot: Path = typer.Option(..., "--plot", help="PNG file to draw the monthly trend into."),
    db: str = DbOption,
) -> None:
    """Draw the cooperation–conflict trend between two actors (monthly mean score and count)."""
    from akhbar.events.timeline import event_rows, monthly
    from akhbar.events.timeline import plot as draw

    a, b = actor_a.upper(), actor_b.upper()
    rows = event_rows(get_store(db), (a, b))
    months = draw(rows, plot, f"{a} – {b}: cooperation–conflict by month")
    for month, mean, count in monthly(rows):
        console.print(f"{month}  mean={mean:+.2f}  events={count}")
    console.print(f"events={len(rows)} months={months} plot={plot}")


@eval_app.command("events")
def eval_events(
    gold: Path = typer.Option(..., "--gold", help="Gold folder with events.jsonl (e.g. ../shared/gold/seeds)."),
    db: str = DbOption,
) -> None:
    """Score stored events against gold (source, type, target) triples; last line holds the figures."""
    from akhbar.evaluate.events import confusion_table, score_events

    score = score_events(get_store(db), gold)
    for doc in score.missing:
        err_console.print(f"missing from {db}: {doc} (ingest the gold articles first)")
    for line in score.errors:
        console.print(f"  {escape(line)}", highlight=False)
    console.print("per type:")
    for etype, prf in sorted(score.by_type.items()):
        console.print(f"  {etype:<10} tp={prf.tp} fp={prf.fp} fn={prf.fn} {prf.line()}", highlight=False)
    console.print("confusion (gold type x system type on the same actor pair):")
    for line in confusion_table(score):
        print(f"  {line}")
    print(score.total.line())


@eval_app.command("quotes")
def eval_quotes(
    gold: Path = typer.Option(..., "--gold", help="Gold folder with quotes.jsonl (e.g. ../shared/gold/seeds)."),
    db: str = DbOption,
) -> None:
    """Score stored quotes against gold quotations and speakers; last line holds the figures."""
    from akhbar.evaluate.events import score_quotes

    score = score_quotes(get_store(db), gold)
    for line in score.errors:
        console.print(f"  {escape(line)}", highlight=False)
    console.print(f"gold={score.gold} found={score.found} speaker_ok={score.speaker_ok} "
                  f"system_direct={score.system_direct} speaker_accuracy={score.speaker_accuracy():.3f}",
                  highlight=False)
    print(score.line())
