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
from akhbar.model import Article, Sentence
from akhbar.text.normalize import display
from akhbar.text.split import sentences

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


async def _read_upload(request: Request) -> m.ArticleIn:
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
    return m.ArticleIn.model_validate({"text": text, **fields})


def build_article(item: m.ArticleIn) -> Article:
    """Clean and analyse the submitted text with the lead's pipeline (or a plain-text fallback)."""
    try:
        from akhbar.pipeline import process_text
    except ImportError:
        process_text = None
    meta = {"headline": item.headline, "url": item.url, "outlet": item.outlet, "published": item.published}
    if process_text is not None:
        return process_text(item.text, raw_format=item.format, **meta)
    body = item.text
    if item.format == "html":
        import trafilatura

        body = trafilatura.extract(item.text, favor_precision=True) or ""
    body = display(body).strip()
    if not body:
        raise InputError("text", "no article text remains after cleaning; send the article body")
    headline = item.headline
    if headline is None:
        headline, _, rest = body.partition("\n")
        body = rest.strip() or headline
    article = Article(raw=item.text, body=body, raw_format=item.format, origin="api", **{**meta, "headline": headline})
    article.sentences = [Sentence(i, s.start, s.end, s.text) for i, s in enumerate(sentences(body))]
    return article


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
            item = await _read_upload(request)
        elif ctype.startswith("application/json"):
            try:
                payload = await request.json()
            except ValueError as exc:
                return _error(422, f"the body is not valid JSON ({exc})")
            item = m.ArticleIn.model_validate(payload)
        else:
            return _error(415, "send the article as application/json or as a multipart/form-data file upload")
    except ValidationError as exc:
        return _validation(exc)
    pool = request.app.state.pool
    article = await run_in_threadpool(build_article, item)
    article_id, created = await run_in_threadpool(lambda: pool.get().add_article(article))
    result = m.IngestResult(id=article_id, created=created, headline=article.headline)
    return JSONResponse(result.model_dump(), status_code=201 if created else 200)
