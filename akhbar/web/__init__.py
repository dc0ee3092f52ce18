"""The right-to-left Urdu web UI: Jinja2 templates, shipped CSS and font, server-side SVG charts."""

from __future__ import annotations

from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATES_DIR = WEB_DIR / "templates"

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "WEB_DIR"]
