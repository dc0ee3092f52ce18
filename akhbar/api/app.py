"""App factory: one store per worker thread, errors as JSON (API) or Urdu pages (web)."""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from akhbar.errors import AkhbarError, InputError, NotFound, QueryError
from akhbar.store import Store, open_store


class StorePool:
    """Opens one store connection per thread (SQLite connections must not be shared mid-query)."""

    def __init__(self, url: str):
        self.url = url
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()
        open_store(url).close()  # fail at start-up, with the store's own message, not on first request

    def get(self) -> Store:
        """The calling thread's store, opened on first use."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.url)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        """Close every connection opened by any thread."""
        with self._lock:
            for store in self._all:
                store.close()
            self._all.clear()
        self._local = threading.local()


_STATUS = {NotFound: 404, QueryError: 400, InputError: 422}


def _status(exc: AkhbarError) -> int:
    for kind, code in _STATUS.items():
        if isinstance(exc, kind):
            return code
    return 500


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid value')}")
    return "invalid request — " + "; ".join(parts)


def _install_error_handlers(app: FastAPI) -> None:
    from akhbar.web.pages import render_error

    @app.exception_handler(AkhbarError)
    async def akhbar_error(request: Request, exc: AkhbarError):
        code = _status(exc)
        if _wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=code)
        return render_error(request, code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        message = _validation_message(exc)
        if _wants_json(request):
            detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
            return JSONResponse({"error": message, "detail": detail}, status_code=422)
        return render_error(request, 422, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}"
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)
        return render_error(request, exc.status_code, message)


def create_app(store_url: str) -> FastAPI:
    """The whole application over the store at `store_url` (SQLite path or postgresql:// URL)."""
    from akhbar.api import routes_ingest, routes_read
    from akhbar.web import STATIC_DIR, pages

    pool = StorePool(store_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        pool.close()

    app = FastAPI(
        lifespan=lifespan,
        title="akhbar",
        description="Urdu news intelligence: articles, search, stories, entities and events.",
        version="0.1.0",
        docs_url=None,  # the Swagger page loads assets from a CDN; /docs is rendered by us instead
        redoc_url=None,
    )
    app.state.pool = pool
    _install_error_handlers(app)
    app.include_router(routes_read.router)
    app.include_router(routes_ingest.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
