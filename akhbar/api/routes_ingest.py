"""The ingest endpoint: POST /api/articles (JSON or file upload), guarded by AKHBAR_TOKEN.

Everything is validated and processed before the single `add_article` transaction, so a rejected
request stores nothing.
"""

from __future__ import annotations

import os
import secrets

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from akhbar.api import models as m
from akhbar.errors import InputError
from akhbar.ingest.readers import RawDoc
from akhbar.model import Article

router = APIRouter(prefix="/api", tags=["ingest"])

MAX_UPLOAD_BYTES = 5_000_000
TOKEN_ENV = "AKHBAR_TOKEN"


class AuthError(Exception):
    """The request may not ingest: no token configured, or a missing/wrong token."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def check_token(request: Request) -> None:
    """Refuse unless the server has AKHBAR_TOKEN set and the request carries the same token."""
    expected = os.environ.get(TOKEN_ENV, "")
    if not expected:
        raise AuthError(403, f"ingest is disabled: start the server with {TOKEN_ENV} set to a secret token")
    given = request.headers.get("x-akhbar-token", "")
    auth = request.headers.get("authorization", "")
    if not given and auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    if not given:
        raise AuthError(401, "missing token: send it in the X-Akhbar-Token header (or Authorization: Bearer …)")
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise AuthError(401, "wrong token: it does not match the server's AKHBAR_TOKEN")


def _error(status: int, message: str, detail: list[dict] | None = None) -> JSONResponse:
    body: dict = {"error": message}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(body, status_code=status)


def _validation(exc: ValidationError) -> JSONResponse:
    detail = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
    parts = [f"{'.'.join(str(p) for p in d['loc']) or 'body'}: {d['msg']}" for d in detail]
    return _error(422, "invalid article — " + "; ".join(parts), detail)


async def _read_upload(request: Request) -> tuple[m.ArticleIn, str]:
    from akhbar.ingest.decode import decode

    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise InputError("upload", "the form has no file field: send the article as multipart field 'file'")
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    name = upload.filename or "upload"
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(name, f"the file is larger than {MAX_UPLOAD_BYTES} bytes; split it or use `akhbar ingest`")
    text = decode(data, name)
    fields = {k: v for k, v in form.items() if k != "file" and isinstance(v, str) and v}
    fields.setdefault("format", "html" if name.lower().endswith((".html", ".htm")) else "txt")
    return m.ArticleIn.model_validate({"text": text, **fields}), f"upload:{name}"


def build_article(item: m.ArticleIn, source_id: str) -> Article:
    """Clean and analyse the submitted text with the ingest pipeline (raises InputError when nothing remains)."""
    from akhbar.pipeline import process

    doc = RawDoc(content=item.text, format=item.format, source_id=source_id, origin="api", url=item.url,
                 title=item.headline, outlet=item.outlet, published=item.published)
    return process(doc)


def store_article(pool, article: Article) -> tuple[int, bool]:
    """Store the article (one transaction) and let the corpus stages place a new one in its story."""
    from akhbar.pipeline import update_stories

    store = pool.get()
    article_id, created = store.add_article(article)
    if created:
        update_stories(store, [article_id])
    return article_id, created


@router.post(
    "/articles", status_code=201, response_model=m.IngestResult,
    summary="Ingest one article (JSON body or multipart file upload); needs the AKHBAR_TOKEN token",
    responses={401: {"model": m.ErrorOut}, 403: {"model": m.ErrorOut}, 422: {"model": m.ErrorOut}},
    openapi_extra={"requestBody": {"content": {
        "application/json": {"schema": m.ArticleIn.model_json_schema()},
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"}, "headline": {"type": "string"},
            "url": {"type": "string"}, "outlet": {"type": "string"}, "published": {"type": "string"}}}},
    }, "required": True}},
)
async def ingest(request: Request):
    try:
        check_token(request)
    except AuthError as exc:
        return _error(exc.status, str(exc))
    ctype = request.headers.get("content-type", "")
    try:
        if ctype.startswith("multipart/form-data"):
            item, source = await _read_upload(request)
        elif ctype.startswith("application/json"):
            try:
                payload = await request.json()
            except ValueError as exc:
                return _error(422, f"the body is not valid JSON ({exc})")
            item = m.ArticleIn.model_validate(payload)
            source = f"api:{item.url}" if item.url else "api"
        else:
            return _error(415, "send the article as application/json or as a multipart/form-data file upload")
    except ValidationError as exc:
        return _validation(exc)
    article = await run_in_threadpool(build_article, item, source)
    article_id, created = await run_in_threadpool(store_article, request.app.state.pool, article)
    result = m.IngestResult(id=article_id, created=created, headline=article.headline)
    return JSONResponse(result.model_dump(), status_code=201 if created else 200)
