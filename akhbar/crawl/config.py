"""FEEDS.yaml: which outlets to poll, and how politely."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from akhbar.crawl.fetch import Politeness
from akhbar.errors import InputError


@dataclass
class Outlet:
    """One outlet: its name, feed URLs and whether to fetch each article page."""

    name: str
    feeds: list[str]
    fetch_pages: bool = True


@dataclass
class CrawlConfig:
    """Every outlet and the politeness settings for the whole crawl."""

    outlets: list[Outlet] = field(default_factory=list)
    polite: Politeness = field(default_factory=Politeness)
    max_pages: int = 200  # per feed and run


def load_config(path: str | Path) -> CrawlConfig:
    """Read and check a FEEDS.yaml file; InputError names the file and the faulty field."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise InputError(str(path), "no such file (see examples/feeds.yaml for the format)") from exc
    except yaml.YAMLError as exc:
        raise InputError(str(path), f"not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("outlets"), list):
        raise InputError(str(path), "expected a mapping with an 'outlets' list")
    polite = Politeness()
    for key in ("user_agent", "delay", "timeout", "retries", "backoff"):
        if key in data:
            try:
                setattr(polite, key, type(getattr(polite, key))(data[key]))
            except (TypeError, ValueError) as exc:
                raise InputError(str(path), f"'{key}' has a wrong value {data[key]!r}") from exc
    outlets = []
    for i, item in enumerate(data["outlets"], 1):
        feeds = item.get("feeds") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not item.get("name") or not isinstance(feeds, list) or not feeds:
            raise InputError(str(path), "each outlet needs a 'name' and a non-empty 'feeds' list", f"outlet {i}")
        if not all(isinstance(u, str) and u.startswith(("http://", "https://")) for u in feeds):
            raise InputError(str(path), "feed URLs must start with http:// or https://", f"outlet {i}")
        outlets.append(Outlet(str(item["name"]), feeds, bool(item.get("fetch_pages", True))))
    return CrawlConfig(outlets, polite, int(data.get("max_pages", 200)))
