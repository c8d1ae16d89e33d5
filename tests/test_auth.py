from __future__ import annotations

from intake.auth import bootstrap_admin, hash_password, hash_token, issue_token, login, user_for_token, verify_password
from intake.db import ApiToken, User, make_engine, make_sessionmaker
from intake.migrate import upgrade


def _sessions(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'auth.db'}")
    upgrade(engine)
    return make_sessionmaker(engine)


def test_password_hash_roundtrip_and_salt() -> None:
    a, b = hash_password("correct horse"), hash_password("correct horse")
    assert a != b  # salted
    assert verify_password("correct horse", a) and not verify_password("wrong", a)
    assert "correct horse" not in a


def test_first_start_admin_with_given_token(tmp_path) -> None:
    sessions = _sessions(tmp_path)
    with sessions() as s:
        created = bootstrap_admin(s, admin_token="pct_given")
        assert created is not None and created.token is None
        assert bootstrap_admin(s, admin_token="pct_other") is None  # only the first start
    with sessions() as s:
        user = user_for_token(s, "pct_given")
        assert user is not None and user.is_admin
        stored = s.query(ApiToken).one()
        assert stored.token_hash == hash_token("pct_given") and "pct_given" not in stored.token_hash
        assert login(s, "admin", created.password) is not None
        assert login(s, "admin", "nope") is None and login(s, "nobody", "x") is None


def test_generated_token_and_sessions(tmp_path) -> None:
    sessions = _sessions(tmp_path)
    with sessions() as s:
        created = bootstrap_admin(s, admin_token=None)
        assert created is not None and created.token and created.token.startswith("pct_")
        user = s.query(User).one()
        session_token = issue_token(s, user, kind="session")
        s.commit()
        assert user_for_token(s, session_token).id == user.id
        assert user_for_token(s, "pct_forged") is None
