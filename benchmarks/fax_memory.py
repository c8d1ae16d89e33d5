"""Peak memory of reading and extracting one long fax, as a worker does.

    .venv/bin/python -m benchmarks.fax_memory [--pages 200] [--workers 2]

Builds a multi-page 1-bit Group 4 TIFF (204x196 DPI) from the sample faxes' frames, then, in a
fresh process, reads and extracts it the way a worker does (code set loaded, OCR workers as
configured). Prints the peak RSS of that process and the time per page.
"""

from __future__ import annotations

import argparse
import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageSequence

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"


def long_fax(pages: int) -> bytes:
    frames = []
    for path in sorted(SAMPLES.glob("*/fax_fine_*.tif")):
        with Image.open(path) as image:
            frames.extend(frame.copy() for frame in ImageSequence.Iterator(image))
    sequence = [frames[i % len(frames)] for i in range(pages)]
    buf = io.BytesIO()
    sequence[0].save(buf, format="TIFF", save_all=True, append_images=sequence[1:], compression="group4", dpi=(204, 196))
    return buf.getvalue()


def _child(path: str, workers: int) -> None:
    from extractors.extract import extract_bytes
    from extractors.icd10 import load
    from extractors.ocr_page import OcrSettings

    load()
    started = time.perf_counter()
    docs = extract_bytes(Path(path).read_bytes(), filename="fax.tif", ocr=OcrSettings(workers=workers))
    pages = sum(len(d.pages) for d in docs)
    elapsed = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tesseract = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{pages} pages in {elapsed:.0f} s ({elapsed / pages:.2f} s/page); peak RSS: worker {own:.0f} MB, "
        f"largest Tesseract process {tesseract:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.workers)
        return
    with tempfile.NamedTemporaryFile(suffix=".tif") as tmp:
        data = long_fax(args.pages)
        tmp.write(data)
        tmp.flush()
        print(f"{args.pages}-page fax: {len(data) / 1e6:.1f} MB")
        subprocess.run(
            [sys.executable, "-m", "benchmarks.fax_memory", "--child", tmp.name, "--workers", str(args.workers)], check=True
        )


if __name__ == "__main__":
    main()
