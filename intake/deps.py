"""FastAPI dependencies: the wiring and the authenticated user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from intake.auth import user_for_token
from intake.db import User
from intake.runtime import Runtime
from intake.tasks import TaskQueue

SESSION_COOKIE = "precert_session"
_bearer = HTTPBearer(auto_error=False, description="API token (printed once at first start, or PRECERT_ADMIN_TOKEN)")


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def get_queue(request: Request) -> TaskQueue:
    return request.app.state.queue


def optional_user(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> User | None:
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    rt: Runtime = request.app.state.runtime
    with rt.sessions() as session:
        user = user_for_token(session, token)
        if user is not None:
            session.expunge(user)
        return user


def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="Authentication required: send 'Authorization: Bearer <token>' or log in at /login.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
QueueDep = Annotated[TaskQueue, Depends(get_queue)]
UserDep = Annotated[User, Depends(current_user)]
