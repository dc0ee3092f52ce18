"""The FastAPI application: JSON API under /api, the right-to-left web UI at /, static assets."""

from __future__ import annotations

from akhbar.api.app import create_app

__all__ = ["create_app"]
