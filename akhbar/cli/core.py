"""Core commands: ingest, articles, article, search, demo, eval clean."""
