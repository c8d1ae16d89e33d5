"""The FastAPI application: API, web UI, health, and one mapping of domain errors to JSON."""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from extractors.errors import PrecertError
from intake import api, web, webhook_api
from intake.auth import user_for_token
from intake.deps import SESSION_COOKIE
from intake.runtime import Runtime
from intake.tasks import TaskQueue

log = logging.getLogger(__name__)
MAX_FILES_PER_REQUEST = 20


_UPLOAD_PATH = re.compile(r"^(/api/v1/documents|/api/v1/cases/[^/]+/documents|/cases/[^/]+/upload)/?$")


def _has_valid_credentials(runtime: Runtime, request: Request) -> bool:
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else request.cookies.get(SESSION_COOKIE)
    if not token:
        return False
    with runtime.sessions() as session:
        return user_for_token(session, token) is not None


def _explain(error: dict) -> str:
    """Pydantic's message, with what to do where it does not say."""
    kind = error.get("type", "")
    if kind == "json_invalid":
        return "the body is not valid JSON"
    if kind in ("model_attributes_type", "dict_type") and tuple(error.get("loc", ())) == ("body",):
        return "send a JSON object with 'Content-Type: application/json'"
    if kind.startswith("date"):
        return f"{error['msg']} (use YYYY-MM-DD)"
    return error["msg"]


def create_app(runtime: Runtime, queue: TaskQueue) -> FastAPI:
    app = FastAPI(
        title="precert-intake",
        version="0.1.0",
        description="Clinical attachments of pre-certification requests -> checked submission packets.",
    )
    app.state.runtime = runtime
    app.state.queue = queue

    @app.exception_handler(PrecertError)
    async def _domain_error(_request: Request, exc: PrecertError) -> JSONResponse:
        return JSONResponse({"error": exc.code, "detail": str(exc)}, status_code=exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"field": ".".join(str(p) for p in e["loc"] if p != "body"), "problem": _explain(e)} for e in exc.errors()]
        detail = "; ".join(f"{p['field']}: {p['problem']}" if p["field"] else p["problem"] for p in problems)
        return JSONResponse({"error": "invalid_request", "detail": detail, "problems": problems}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse({"error": code, "detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    # Starlette spools a whole multipart body to disk before a route sees it: refuse an
    # oversize request by its declared length first, so one upload cannot fill the disk.
    max_request = runtime.settings.max_upload_bytes * MAX_FILES_PER_REQUEST + 1024 * 1024

    @app.middleware("http")
    async def _guard_uploads(request: Request, call_next):
        if request.method == "POST" and _UPLOAD_PATH.match(request.url.path):
            # FastAPI reads a multipart body before it runs the auth dependency: check the
            # credentials and the declared size first, so nobody unknown can fill the disk.
            if not await run_in_threadpool(_has_valid_credentials, runtime, request):
                return JSONResponse(
                    {
                        "error": "unauthorized",
                        "detail": "Authentication required: send 'Authorization: Bearer <token>' or log in at /login.",
                    },
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            if not request.headers.get("content-length", "").isdigit():
                return JSONResponse(
                    {"error": "length_required", "detail": "Uploads need a Content-Length header (no chunked transfer)."},
                    status_code=411,
                )
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_request:
            return JSONResponse(
                {
                    "error": "request_too_large",
                    "detail": f"The request is larger than {max_request // 1048576} MB. Send at most "
                    f"{MAX_FILES_PER_REQUEST} files of {runtime.settings.max_upload_mb} MB each per request.",
                },
                status_code=413,
            )
        return await call_next(request)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(api.router)
    app.include_router(webhook_api.router)
    app.include_router(web.router)
    return app
