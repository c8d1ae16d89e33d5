"""`precert`: serve, worker, watch, and the server-less extract / check / packet commands."""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from extractors.errors import PrecertError
from packet_builder.request import PLAN_TYPES

EXIT_OK, EXIT_INCOMPLETE, EXIT_BAD_INPUT = 0, 1, 2


def _configure_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("huey", "uvicorn.access", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # The embedded S3 readiness probe retries while the server starts: not worth a warning.
    logging.getLogger("urllib3").setLevel(logging.ERROR)


def _request_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--service",
        action="append",
        required=True,
        metavar="LINE",
        help='requested code line: CPT/HCPCS code with optional modifiers and units, e.g. "97110-GP x4" (repeat for several)',
    )
    parser.add_argument("--payer")
    parser.add_argument(
        "--plan-type", choices=list(PLAN_TYPES), help="medicaid: fee-for-service; medicaid_managed_care: its plans"
    )
    parser.add_argument("--state")
    parser.add_argument("--urgency", choices=["standard", "urgent"], default="standard")
    parser.add_argument(
        "--request-date", type=date.fromisoformat, default=None, help="YYYY-MM-DD; recency windows count from it (default: today)"
    )
    parser.add_argument(
        "--date-of-service", type=date.fromisoformat, default=None, help="anticipated date of service, YYYY-MM-DD"
    )
    parser.add_argument(
        "--place-of-service", default=None, help="CMS 2-digit place-of-service code (11 office, 22 outpatient hospital)"
    )
    parser.add_argument("--units", type=int, default=None)
    parser.add_argument("--episode", choices=["initial", "continuation"], default="initial")
    parser.add_argument("--out-of-network", action="store_true", help="add the out-of-network referral requirements")
    parser.add_argument("--payer-fax", default=None, help="the payer's fax number, for the packet's cover sheet")
    parser.add_argument("files", nargs="+", type=Path)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="precert", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the whole service (embedded S3 and SQLite unless configured)")
    serve.add_argument("--data-dir", type=Path, default=None)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None, help="document worker processes (default PRECERT_WORKERS or 2)")

    worker = sub.add_parser("worker", help="run queue workers only (production: any number of these)")
    worker.add_argument("--data-dir", type=Path, default=None)
    worker.add_argument("--workers", type=int, default=None)

    watch = sub.add_parser("watch", help="watch the inbox bucket only (run exactly one)")
    watch.add_argument("--data-dir", type=Path, default=None)

    user = sub.add_parser("user", help="staff accounts: add a login, reset a password, create an API token")
    user.add_argument("action", choices=["add", "password", "token"])
    user.add_argument("username")
    user.add_argument("--data-dir", type=Path, default=None)
    user.add_argument("--admin", action="store_true", help="with add: an administrator")
    user.add_argument("--name", default="", help="with token: what the token is for (a scanner, a tool)")

    extract = sub.add_parser("extract", help="read and extract files, no server")
    extract.add_argument("files", nargs="+", type=Path)
    extract.add_argument("--json", action="store_true", help="print JSON (the default output is JSON too)")
    extract.add_argument("--text", action="store_true", help="include each page's text, method and OCR confidence")

    check = sub.add_parser("check", help="completeness of files against a service's requirements, no server")
    _request_options(check)
    check.add_argument("--json", action="store_true")

    packet = sub.add_parser("packet", help="build the packet files into a folder, no server")
    _request_options(packet)
    packet.add_argument("--out", type=Path, required=True)

    required = sub.add_parser("required", help="is pre-certification required for a service, plan type and state?")
    required.add_argument("--service", action="append", required=True, metavar="CODE")
    required.add_argument("--plan-type", choices=list(PLAN_TYPES))
    required.add_argument("--state")
    required.add_argument("--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD the answer is for (default: today)")
    required.add_argument("--json", action="store_true")

    catalog = sub.add_parser("catalog", help="print what is checked for every service (the catalog page)")
    catalog.add_argument("--markdown", action="store_true", help="Markdown (the default)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _configure_logging(args.verbose)
    try:
        if args.command == "serve":
            from intake.serve import serve

            return serve(data_dir=args.data_dir, host=args.host, port=args.port, workers=args.workers)
        if args.command == "worker":
            from intake.serve import run_worker

            return run_worker(data_dir=args.data_dir, workers=args.workers)
        if args.command == "watch":
            from intake.serve import run_watcher

            return run_watcher(data_dir=args.data_dir)
        if args.command == "user":
            return _user(args)
        if args.command == "extract":
            return _extract(args)
        if args.command == "check":
            return _check(args)
        if args.command == "packet":
            return _packet(args)
        if args.command == "required":
            return _required(args)
        if args.command == "catalog":
            return _catalog()
    except PrecertError as exc:
        print(f"precert: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _user(args: argparse.Namespace) -> int:
    from intake import accounts
    from intake.runtime import Runtime, settings_from_environment

    runtime = Runtime(settings_from_environment(str(args.data_dir) if args.data_dir else None))
    runtime.migrate()
    if args.action == "add":
        print(
            f"user {args.username} created; password (shown once): {accounts.add_user(runtime, args.username, admin=args.admin)}"
        )
    elif args.action == "password":
        print(f"new password for {args.username} (shown once): {accounts.reset_password(runtime, args.username)}")
    else:
        print(f"API token for {args.username} (shown once): {accounts.create_token(runtime, args.username, name=args.name)}")
    return EXIT_OK


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PrecertError(f"cannot read {path}: {exc.strerror}") from exc


def _extract_files(paths: Sequence[Path]):
    from extractors.extract import extract_bytes
    from extractors.ocr_page import OcrSettings

    ocr = OcrSettings(workers=int(os.environ.get("PRECERT_OCR_WORKERS") or os.cpu_count() or 1))
    out = []
    for path in paths:
        data = _read(path)
        try:
            extractions = extract_bytes(data, filename=path.name, ocr=ocr)
        except PrecertError as exc:
            raise PrecertError(f"{path}: {exc}") from exc
        out.append((path, data, extractions))
    return out


def _extract(args: argparse.Namespace) -> int:
    docs = [e.to_json(include_text=args.text) for _, _, extractions in _extract_files(args.files) for e in extractions]
    print(json.dumps({"documents": docs}, indent=2))
    return EXIT_OK


def _service_request(args: argparse.Namespace):
    from packet_builder.request import ServiceRequest, parse_service_lines

    return ServiceRequest(
        service_codes=(),
        service_lines=parse_service_lines(args.service),
        request_date=args.request_date or date.today(),
        payer_name=args.payer,
        plan_type=args.plan_type,
        state=(args.state or "").upper() or None,
        urgency=args.urgency,
        date_of_service=args.date_of_service,
        place_of_service=args.place_of_service,
        units=args.units,
        episode=args.episode,
        out_of_network=args.out_of_network,
        payer_fax=args.payer_fax,
    )


def _required(args: argparse.Namespace) -> int:
    from packet_builder.precert_required import precert_required
    from packet_builder.request import parse_service_lines

    codes = [line.code for line in parse_service_lines(args.service)]
    answers = precert_required(codes, plan_type=args.plan_type, state=args.state, on=args.date or date.today())
    if args.json:
        print(json.dumps({"answers": [a.to_json() for a in answers]}, indent=2))
        return EXIT_OK
    for a in answers:
        print(f"{a.label}: {a.answer.upper()}. {a.note}")
        if a.source:
            print(f"  source: {a.source}")
    return EXIT_OK


def _catalog() -> int:
    from packet_builder.catalog import load_catalog
    from packet_builder.catalog_page import markdown
    from packet_builder.clocks import load_clock_rules
    from packet_builder.overlay import load_overlays
    from packet_builder.precert_required import load_precert_rules

    sys.stdout.write(markdown(load_catalog(), load_overlays(), load_precert_rules(), load_clock_rules()))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from packet_builder.checker import check

    request = _service_request(args)
    extracted = _extract_files(args.files)
    extractions = [e.with_document_id(f"file-{i + 1}") for i, (_, _, es) in enumerate(extracted) for e in es]
    report = check(request, extractions)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(f"{report.status.upper()}")
        for r in report.to_json()["requirements"]:
            print(f"  [{r['status']:>7}] {r['label']}: {r['message']}")
        for d in report.disagreements:
            print(f"  [  check] {d['message']}")
        for o in report.overlays:
            line = f"  [ payer ] {o['label']}"
            if o.get("channel"):
                line += f": submit via {o['channel']}"
            print(line)
    return EXIT_OK if report.status == "complete" else EXIT_INCOMPLETE


def _packet(args: argparse.Namespace) -> int:
    from extractors.sniff import sniff
    from intake.config import Settings
    from intake.packets import packet_options
    from packet_builder.assemble import PacketDocument, build_packet
    from packet_builder.checker import check
    from packet_builder.clocks import decision_due

    request = _service_request(args)
    documents = []
    for i, (path, data, extractions) in enumerate(_extract_files(args.files)):
        for extraction in extractions:
            documents.append(
                PacketDocument(
                    document_id=f"file-{i + 1}",
                    filename=path.name,
                    content_type=sniff(data[:1024]).content_type,
                    sha256=hashlib.sha256(data).hexdigest(),
                    source="cli",
                    original=data,
                    extraction=extraction.with_document_id(f"file-{i + 1}"),
                )
            )
    report = check(request, [d.extraction for d in documents])
    now = datetime.now(UTC)
    files = build_packet(
        options=packet_options(Settings()),  # the sender and part size from PRECERT_ variables
        case_id="local",
        version=1,
        request=request,
        documents=documents,
        report=report,
        deadline=decision_due(request, now),
        created_at=now,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        print(f"{args.out / name}  {len(data)} bytes  sha256 {hashlib.sha256(data).hexdigest()}")
    print(f"completeness: {report.status}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
