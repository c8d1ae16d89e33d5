"""Packet build time for 10, 50 and 200 pages, and packet size per page by input format.

    .venv/bin/python -m benchmarks.packet_build [--sizes 10 50 200] [--repeat 3]

The sample files are read and extracted once (OCR included: that is not what is timed); then
packets are assembled from them as the worker does (`packet_builder.assemble.build_packet`:
cover, checklist, every page placed, stamped, OCR text layers, bookmarks, manifest), cycling
through the files until the page count is reached. Prints the median build time per size and
the bytes per packet page per format (text PDF, scan, fax, photo) with the size of a 20-page
packet of each, and how the largest packet splits into parts of at most `--part-mb` MB (the
fax-server / portal cap, `PacketOptions.max_part_bytes`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import time
from datetime import UTC, date, datetime
from pathlib import Path

from extractors.extract import extract_pages
from extractors.reader import read_pages
from extractors.sniff import sniff
from packet_builder.assemble import PacketDocument, build_packet
from packet_builder.checker import check
from packet_builder.clocks import decision_due
from packet_builder.request import PacketOptions, ServiceRequest

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"
FORMATS = {"text_pdf": "text PDF", "scan_pdf": "scan", "fax_tiff": "fax", "photo_jpeg": "photo"}


def sample_documents(per_format: int = 4) -> dict[str, list[tuple[PacketDocument, int]]]:
    """Up to `per_format` read sample files per format, as packet documents with their page counts."""
    out: dict[str, list[tuple[PacketDocument, int]]] = {f: [] for f in FORMATS}
    for case_json in sorted(SAMPLES.glob("*/case.json")):
        for spec in json.loads(case_json.read_text())["files"]:
            fmt = spec["format"]
            if fmt not in out or len(out[fmt]) >= per_format:
                continue
            data = (case_json.parent / spec["file"]).read_bytes()
            _kind, pages = read_pages(data)
            for i, extraction in enumerate(extract_pages(pages, filename=spec["file"])):
                doc_id = f"{case_json.parent.name}-{spec['file']}-{i}"
                out[fmt].append(
                    (
                        PacketDocument(
                            document_id=doc_id,
                            filename=spec["file"],
                            content_type=sniff(data[:1024]).content_type,
                            sha256=hashlib.sha256(data).hexdigest(),
                            source="api",
                            original=data,
                            extraction=extraction.with_document_id(doc_id),
                        ),
                        len(extraction.pages),
                    )
                )
    return out


def _take(pool: list[tuple[PacketDocument, int]], pages: int) -> list[PacketDocument]:
    """Documents from `pool`, cycled (each copy a distinct file), until `pages` pages."""
    chosen, total, n = [], 0, 0
    while total < pages:
        doc, count = pool[n % len(pool)]
        # Trailing bytes make each copy a distinct file (PDF, TIFF and JPEG readers ignore them).
        copy = doc.original + b"\n%" + str(n).encode()
        chosen.append(
            PacketDocument(
                document_id=f"{doc.document_id}-{n}",
                filename=doc.filename,
                content_type=doc.content_type,
                sha256=hashlib.sha256(copy).hexdigest(),
                source=doc.source,
                original=copy,
                extraction=doc.extraction,
            )
        )
        total += count
        n += 1
    return chosen


def build(documents: list[PacketDocument], options: PacketOptions | None = None) -> tuple[float, dict[str, bytes]]:
    request = ServiceRequest(service_codes=("72148",), request_date=date(2026, 11, 2), plan_type="commercial", state="AZ")
    report = check(request, [d.extraction for d in documents])
    now = datetime.now(UTC)
    started = time.perf_counter()
    files = build_packet(
        case_id="bench",
        version=1,
        request=request,
        documents=documents,
        report=report,
        deadline=decision_due(request, now),
        created_at=now,
        **({"options": options} if options is not None else {}),
    )
    return time.perf_counter() - started, files


def document_pages(files: dict[str, bytes]) -> int:
    """Pages of the packet after its front matter (a file holding several logical documents
    is placed whole, so this can exceed the pages the sample extractions were counted by)."""
    packet = json.loads(files["manifest.json"])["packet"]
    return packet["page_count"] - packet["front_matter_pages"][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--part-mb", type=float, default=10.0)
    args = parser.parse_args()
    pools = sample_documents()
    mixed = [d for pool in pools.values() for d in pool]
    print(f"{'pages':>6}{'build s (median)':>18}{'packet.pdf':>14}{'bytes/page':>12}   (pages: document pages placed)")
    for size in args.sizes:
        docs = _take(mixed, size)
        runs = [build(docs) for _ in range(args.repeat if size <= 50 else 1)]
        pdf = runs[-1][1]["packet.pdf"]
        placed = document_pages(runs[-1][1])
        print(f"{placed:>6}{statistics.median(t for t, _ in runs):>18.2f}{len(pdf):>14,}{len(pdf) // placed:>12,}")

    print("\nbytes per packet page by format (20+ document pages each; front matter included in the size)")
    for fmt, pool in pools.items():
        if not pool:
            continue
        docs = _take(pool, 20)
        _t, files = build(docs)
        placed = document_pages(files)
        size = len(files["packet.pdf"])
        print(f"  {FORMATS[fmt]:<10}{size // placed:>10,} bytes/page ({placed} pages; packet.pdf {size / 1e6:.2f} MB)")

    limit = int(args.part_mb * 1_000_000)
    docs = _take(mixed, max(args.sizes))
    try:
        seconds, files = build(docs, PacketOptions(max_part_bytes=limit))
    except TypeError:  # a build_packet from before PacketOptions
        print("\nsplit: not supported by this build_packet")
        return
    manifest = json.loads(files["manifest.json"])
    print(
        f"\nsplit of the {manifest['packet']['page_count']}-page packet ({len(files['packet.pdf']) / 1e6:.2f} MB) "
        f"at {args.part_mb:g} MB: built with its parts in {seconds:.2f} s"
    )
    for part in manifest["packet"]["parts"] or [{"name": "(not split: under the limit)"}]:
        if "size" not in part:
            print(f"  {part['name']}")
            continue
        print(
            f"  {part['name']:<18}{part['size'] / 1e6:>7.2f} MB  {part['page_count']:>4} pages  "
            f"packet pages {part['packet_pages'][0]}-{part['packet_pages'][1]}"
        )
    for warning in manifest["packet"]["warnings"]:
        print(f"  warning: {warning}")


if __name__ == "__main__":
    main()
