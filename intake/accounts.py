"""Account administration from the command line (the web UI has no user management yet)."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from intake.auth import hash_password, issue_token
from intake.db import User
from intake.receive import ConflictError, NotFoundError
from intake.runtime import Runtime


def add_user(rt: Runtime, username: str, *, admin: bool = False) -> str:
    """Create a staff login; returns its generated password (shown once)."""
    password = secrets.token_urlsafe(12)
    with rt.sessions() as session:
        if session.scalar(select(User).where(User.username == username)) is not None:
            raise ConflictError(f"User '{username}' already exists; use `precert user password {username}` to reset it.")
        session.add(User(username=username, password_hash=hash_password(password), is_admin=admin))
        session.commit()
    return password


def reset_password(rt: Runtime, username: str) -> str:
    password = secrets.token_urlsafe(12)
    with rt.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFoundError(f"No user '{username}'. Create it with `precert user add {username}`.")
        user.password_hash = hash_password(password)
        session.commit()
    return password


def create_token(rt: Runtime, username: str, *, name: str) -> str:
    """A new API token for a user (a scanner script, a submission tool); shown once."""
    with rt.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFoundError(f"No user '{username}'. Create it with `precert user add {username}`.")
        token = issue_token(session, user, kind="api", name=name)
        session.commit()
    return token
