"""The staff web UI: server-rendered pages over the same services as the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, unquote

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from extractors.errors import PrecertError
from intake import handoff, packets
from intake.api import receive_uploads
from intake.auth import SESSION_HOURS, issue_token, login, revoke_token
from intake.db import Case, Document, Packet, User
from intake.deps import SESSION_COOKIE, QueueDep, RuntimeDep, optional_user
from intake.packet_status import is_overdue
from intake.processing import assign_to_case
from intake.schemas import CaseCreate, DecisionIn, SubmissionIn, document_json
from packet_builder.catalog import FAMILIES, load_catalog
from packet_builder.catalog_page import rows
from packet_builder.overlay import load_overlays
from packet_builder.request import PLAN_TYPES

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
OptionalUser = Annotated[User | None, Depends(optional_user)]


# Upload results name files (often patient names): carried to the next page in a cookie, not in
# the URL, where browser history and proxy logs would keep them.
NOTE_COOKIE = "precert_note"


def _with_note(response: Response, note: str) -> Response:
    response.set_cookie(NOTE_COOKIE, quote(note[:1500]), httponly=True, samesite="strict", max_age=300)
    return response


def _to_login() -> RedirectResponse:
    return RedirectResponse("/login", status_code=303)


def _page(request: Request, name: str, user: User | None, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"user": user, **context})


@router.get("/login")
def login_form(request: Request, user: OptionalUser) -> Response:
    if user is not None:
        return RedirectResponse("/", status_code=303)
    return _page(request, "login.html", None, error=None)


@router.post("/login")
def login_submit(
    request: Request, rt: RuntimeDep, username: Annotated[str, Form()], password: Annotated[str, Form()]
) -> Response:
    with rt.sessions() as session:
        user = login(session, username, password)
        if user is None:
            return templates.TemplateResponse(
                request, "login.html", {"user": None, "error": "Wrong user name or password."}, status_code=401
            )
        token = issue_token(session, user, kind="session", name="web login")
        session.commit()
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        max_age=SESSION_HOURS * 3600,
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout(request: Request, rt: RuntimeDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with rt.sessions() as session:
            revoke_token(session, token)
            session.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(request: Request, rt: RuntimeDep, user: OptionalUser) -> Response:
    if user is None:
        return _to_login()
    with rt.sessions() as session:
        cases = session.scalars(select(Case).order_by(Case.created_at.desc()).limit(200)).all()
        unassigned = session.scalars(
            select(Document).where(Document.case_id.is_(None)).order_by(Document.created_at.desc())
        ).all()
        services = load_catalog().services
        try:
            quarantined = rt.store.list_quarantine(limit=50)
        except Exception:
            quarantined = []
        return _page(
            request,
            "home.html",
            user,
            cases=cases,
            unassigned=unassigned,
            services=services,
            quarantined=quarantined,
            plan_types=PLAN_TYPES,
            today=date.today().isoformat(),
            error=None,
            form={},
        )


def _error_text(error: Any) -> str:
    """A validation error as a person reads it: the field and the problem, without pydantic's
    "Value error," prefix."""
    msg = str(error.get("msg", "")).removeprefix("Value error, ")
    where = [str(p) for p in error.get("loc", ()) if p != "body"]
    return f"{where[0].replace('_', ' ')}: {msg}" if where and where[0] not in msg else msg


@router.post("/cases")
def create_case_form(
    request: Request,
    rt: RuntimeDep,
    user: OptionalUser,
    service_codes: Annotated[str, Form()],
    payer_name: Annotated[str, Form()] = "",
    plan_type: Annotated[str, Form()] = "",
    state: Annotated[str, Form()] = "",
    urgency: Annotated[str, Form()] = "standard",
    request_date: Annotated[str, Form()] = "",
    member_id: Annotated[str, Form()] = "",
    patient_name: Annotated[str, Form()] = "",
    patient_dob: Annotated[str, Form()] = "",
    reference: Annotated[str, Form()] = "",
    date_of_service: Annotated[str, Form()] = "",
    place_of_service: Annotated[str, Form()] = "",
    units: Annotated[str, Form()] = "",
    episode: Annotated[str, Form()] = "initial",
    out_of_network: Annotated[str, Form()] = "",
    payer_fax: Annotated[str, Form()] = "",
) -> Response:
    if user is None:
        return _to_login()
    typed = {
        "service_codes": service_codes,
        "payer_name": payer_name,
        "plan_type": plan_type,
        "state": state,
        "urgency": urgency,
        "request_date": request_date,
        "member_id": member_id,
        "patient_name": patient_name,
        "patient_dob": patient_dob,
        "reference": reference,
        "date_of_service": date_of_service,
        "place_of_service": place_of_service,
        "units": units,
        "episode": episode,
        "out_of_network": "true" if out_of_network == "true" else "",
        "payer_fax": payer_fax.strip(),
    }
    raw: dict[str, Any] = {k: v.strip() for k, v in typed.items()}
    # One code line per line of the box; "E0601, A7030 x2" and "72148 72158" work too.
    raw["service_codes"] = [line for line in service_codes.splitlines() if line.strip()]
    raw["out_of_network"] = out_of_network == "true"
    try:
        body = CaseCreate(**{k: v for k, v in raw.items() if v not in ("", [])})
    except (ValidationError, PrecertError) as exc:
        message = "; ".join(_error_text(e) for e in exc.errors()) if isinstance(exc, ValidationError) else str(exc)
        with rt.sessions() as session:
            cases = session.scalars(select(Case).order_by(Case.created_at.desc()).limit(200)).all()
            # Everything typed goes back into the form: nothing is lost to one wrong value.
            return templates.TemplateResponse(
                request,
                "home.html",
                {
                    "user": user,
                    "cases": cases,
                    "unassigned": [],
                    "services": load_catalog().services,
                    "plan_types": PLAN_TYPES,
                    "today": date.today().isoformat(),
                    "error": message,
                    "form": typed,
                },
                status_code=422,
            )
    with rt.sessions() as session:
        case = Case(
            **body.model_dump(exclude={"patient_dob", "request_date"}),
            # A person or tool opening the case makes the request that day; only a case the
            # inbox opens has no request date until someone enters it.
            request_date=body.request_date or date.today(),
            created_by="web",
            patient_dob=body.patient_dob.isoformat() if body.patient_dob else None,
        )
        session.add(case)
        session.commit()
        return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.get("/catalog")
def catalog_page(request: Request, user: OptionalUser) -> Response:
    if user is None:
        return _to_login()
    catalog = load_catalog()
    families = [(label, [s for s in catalog.services if s.family == key]) for key, label in FAMILIES.items()]
    return _page(
        request,
        "catalog.html",
        user,
        version=catalog.version,
        families=[(label, members) for label, members in families if members],
        rows=rows,
        overlays=load_overlays(),
    )


@router.get("/cases/{case_id}")
def case_page(case_id: str, request: Request, rt: RuntimeDep, user: OptionalUser) -> Response:
    if user is None:
        return _to_login()
    with rt.sessions() as session:
        case = session.get(Case, case_id)
        if case is None:
            return HTMLResponse("Case not found", status_code=404)
        documents = [document_json(d) for d in case.documents]
        case_packets = session.scalars(select(Packet).where(Packet.case_id == case_id).order_by(Packet.version.desc())).all()
        try:
            report = packets.completeness(rt, case_id).to_json()
        except PrecertError as exc:
            report = {"status": "incomplete", "requirements": [], "error": str(exc)}
        busy = any(d["status"] in ("received", "processing") for d in documents) or any(
            p.status == "building" for p in case_packets
        )
        page = _page(
            request,
            "case.html",
            user,
            case=case,
            documents=documents,
            packets=case_packets,
            overdue={p.id for p in case_packets if is_overdue(p)},
            report=report,
            precert=packets.precert_answers(case),
            busy=busy,
            upload_result=unquote(request.cookies.get(NOTE_COOKIE, "")) or None,
        )
        page.delete_cookie(NOTE_COOKIE)  # shown once
        return page


@router.post("/cases/{case_id}/upload")
async def upload_form(case_id: str, rt: RuntimeDep, queue: QueueDep, user: OptionalUser, files: list[UploadFile]) -> Response:
    if user is None:
        return _to_login()
    try:
        result = await receive_uploads(rt, queue, files, "web", case_id)
        rejected = [d for d in result["documents"] if d.get("status") == "rejected"]
        note = f"{len(result['documents']) - len(rejected)} accepted" + (
            f", {len(rejected)} refused: " + " | ".join(d["error"]["detail"] for d in rejected) if rejected else ""
        )
    except PrecertError as exc:
        note = f"refused: {exc}"
    return _with_note(RedirectResponse(f"/cases/{case_id}", status_code=303), note)


@router.post("/cases/{case_id}/packet")
async def packet_form(case_id: str, rt: RuntimeDep, queue: QueueDep, user: OptionalUser) -> Response:
    if user is None:
        return _to_login()
    try:
        await run_in_threadpool(packets.request_packet, rt, queue, case_id)
        return RedirectResponse(f"/cases/{case_id}", status_code=303)
    except PrecertError as exc:
        return _with_note(RedirectResponse(f"/cases/{case_id}", status_code=303), f"packet refused: {exc}")


def _form_values(**values: str) -> dict[str, str]:
    return {k: v.strip() for k, v in values.items() if v and v.strip()}


def _local_time(value: str, offset_minutes: str) -> datetime | None:
    """A datetime-local field in the browser's time zone (its offset sent beside it; UTC if
    the browser sent none)."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    offset = int(offset_minutes) if offset_minutes.lstrip("-").isdigit() else 0
    # getTimezoneOffset() is minutes to add to local time to get UTC.
    return moment.replace(tzinfo=UTC) + timedelta(minutes=offset)


def _handoff_note(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "not recorded: " + "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
    return f"not recorded: {exc}"


@router.post("/packets/{packet_id}/submission")
def submission_form(
    packet_id: str,
    rt: RuntimeDep,
    user: OptionalUser,
    case_id: Annotated[str, Form()],
    channel: Annotated[str, Form()],
    payer_reference: Annotated[str, Form()] = "",
    submitted_at: Annotated[str, Form()] = "",
    tz_offset: Annotated[str, Form()] = "",
) -> Response:
    """Staff who faxed or keyed the packet themselves record it here (tools use the API)."""
    if user is None:
        return _to_login()
    back = RedirectResponse(f"/cases/{case_id}", status_code=303)
    try:
        body = SubmissionIn(**_form_values(channel=channel, payer_reference=payer_reference))
        sent = _local_time(submitted_at, tz_offset) or datetime.now(UTC)
        handoff.record_submission(
            rt,
            packet_id,
            handoff.Submission(channel=body.channel, submitted_at=sent, payer_reference=body.payer_reference),
            by=user.username,
        )
    except (ValidationError, PrecertError, ValueError) as exc:
        return _with_note(back, _handoff_note(exc))
    return _with_note(back, "submission recorded")


@router.post("/packets/{packet_id}/decision")
def decision_form(
    packet_id: str,
    rt: RuntimeDep,
    user: OptionalUser,
    case_id: Annotated[str, Form()],
    outcome: Annotated[str, Form()],
    authorization_number: Annotated[str, Form()] = "",
    authorized_from: Annotated[str, Form()] = "",
    authorized_to: Annotated[str, Form()] = "",
    authorized_units: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    requested: Annotated[str, Form()] = "",
) -> Response:
    if user is None:
        return _to_login()
    back = RedirectResponse(f"/cases/{case_id}", status_code=303)
    try:
        body = DecisionIn(
            **_form_values(
                outcome=outcome,
                authorization_number=authorization_number,
                authorized_from=authorized_from,
                authorized_to=authorized_to,
                authorized_units=authorized_units,
                reason=reason,
                requested=requested,
            )
        )
        decision = handoff.Decision(decided_at=datetime.now(UTC), **body.model_dump(exclude={"decided_at"}))
        handoff.record_decision(rt, packet_id, decision, by=user.username)
    except (ValidationError, PrecertError) as exc:
        return _with_note(back, _handoff_note(exc))
    return _with_note(back, f"decision recorded: {body.outcome}")


@router.get("/documents/{document_id}")
def document_page(document_id: str, request: Request, rt: RuntimeDep, user: OptionalUser) -> Response:
    if user is None:
        return _to_login()
    with rt.sessions() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            return HTMLResponse("Document not found", status_code=404)
        open_cases = session.scalars(select(Case).where(Case.status == "open").order_by(Case.created_at.desc()).limit(200)).all()
        return _page(
            request, "document.html", user, doc=document_json(doc), extraction=doc.extraction or [], open_cases=open_cases
        )


@router.post("/documents/{document_id}/case")
def assign_form(document_id: str, rt: RuntimeDep, user: OptionalUser, case_id: Annotated[str, Form()]) -> Response:
    if user is None:
        return _to_login()
    assign_to_case(rt, document_id, case_id, by=user.username)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)
