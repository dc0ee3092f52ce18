"""Scale commands: crawl feeds, export and import the corpus."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from akhbar import exchange
from akhbar.cli.app import DbOption, JsonOption, app, console, echo_json, err_console, get_store


@app.command()
def crawl(
    feeds: Path = typer.Argument(..., help="FEEDS.yaml listing outlets and their RSS/Atom feeds."),
    db: str = DbOption,
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes for the pipeline."),
    as_json: bool = JsonOption,
) -> None:
    """Poll feeds politely, fetch new article pages, keep their raw HTML and ingest them."""
    from akhbar.crawl import crawl as run_crawl
    from akhbar.crawl import load_config

    cfg = load_config(feeds)
    store = get_store(db)
    try:
        report = run_crawl(cfg, store, workers=workers)
    finally:
        store.close()
    if as_json:
        echo_json(report)
        return
    for error in report.errors:
        err_console.print(f"[yellow]warning:[/] {escape(error)}", highlight=False)
    console.print(
        f"feeds={report.feeds} unchanged={report.unchanged} pages={report.pages} added={report.added} "
        f"existing={report.existing} requests={report.requests} errors={len(report.errors)}"
    )


@app.command()
def export(
    fmt: str = typer.Option("jsonl", "--format", help="jsonl, csv or parquet."),
    out: Path = typer.Option(None, "--out", help="Output file (default: standard output; parquet needs a file)."),
    db: str = DbOption,
) -> None:
    """Write every article with its raw text and analyses (a lossless backup)."""
    store = get_store(db)
    try:
        n = exchange.export(store, fmt, out)
    finally:
        store.close()
    if out:
        console.print(f"exported={n} format={fmt} file={out}")


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A file written by `akhbar export` (.jsonl, .csv or .parquet)."),
    db: str = DbOption,
) -> None:
    """Add the articles of an export file to the store (already stored ones are skipped)."""
    store = get_store(db)
    try:
        added, existing = exchange.import_file(file, store)
    finally:
        store.close()
    console.print(f"added={added} existing={existing} file={file}")
