"""Credentials: scrypt-hashed passwords, SHA-256-hashed random tokens, first-start admin."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.db import ApiToken, User

SESSION_HOURS = 12
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT, dklen=32)
    return f"scrypt${_SCRYPT['n']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        _algo, n, salt, digest = stored.split("$")
        candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=8, p=1, dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def hash_token(token: str) -> str:
    # Tokens are 256-bit random secrets, so a fast hash is enough to make a stolen table useless.
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str = "pct") -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def issue_token(session: Session, user: User, *, kind: str = "api", name: str = "", token: str | None = None) -> str:
    token = token or new_token("pct" if kind == "api" else "pcs")
    expires = datetime.now(UTC) + timedelta(hours=SESSION_HOURS) if kind == "session" else None
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), kind=kind, name=name, expires_at=expires))
    return token


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None:
        return None
    if row.expires_at is not None:
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        if expires < datetime.now(UTC):
            return None
    return row.user


def revoke_token(session: Session, token: str) -> None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is not None:
        session.delete(row)


def login(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        hash_password(password)  # same work either way: no user-enumeration timing signal
        return None
    return user if verify_password(password, user.password_hash) else None


@dataclass(frozen=True)
class FirstStartCredentials:
    username: str
    password: str
    token: str | None  # None when the token came from PRECERT_ADMIN_TOKEN (the admin knows it)


def bootstrap_admin(session: Session, *, admin_token: str | None) -> FirstStartCredentials | None:
    """Create the admin on first start only; returns what must be shown to the operator once."""
    if session.scalar(select(User).limit(1)) is not None:
        return None
    password = secrets.token_urlsafe(12)
    user = User(username="admin", password_hash=hash_password(password), is_admin=True)
    session.add(user)
    session.flush()
    token = issue_token(session, user, kind="api", name="admin (first start)", token=admin_token)
    session.commit()
    return FirstStartCredentials("admin", password, None if admin_token else token)
