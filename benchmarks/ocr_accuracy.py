"""OCR word error rate against the known source text of the sample documents, per format,
and whether each turned page was turned upright.

    .venv/bin/python -m benchmarks.ocr_accuracy

Only OCRed pages count (the text-layer pages of a mixed PDF and a form's field values are not
OCR). WER = word-level edit distance / words in the source, after lower-casing and trimming
punctuation. "order-free" counts the same words as a bag, so a two-column block read in
another order is not an error there. Fax headers added by the fax machine are not in the source
text and count as insertions.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from extractors.ocr_page import OcrSettings
from extractors.reader import read_pages

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"


def words(text: str) -> list[str]:
    out = []
    for token in text.lower().split():
        token = re.sub(r"^[^\w]+|[^\w]+$", "", token)
        if token:
            out.append(token)
    return out


def wer(reference: list[str], hypothesis: list[str]) -> float:
    return Levenshtein.distance(reference, hypothesis) / max(len(reference), 1)


def bag_error(reference: list[str], hypothesis: list[str]) -> float:
    ref, hyp = Counter(reference), Counter(hypothesis)
    missing = sum((ref - hyp).values())
    extra = sum((hyp - ref).values())
    return max(missing, extra) / max(len(reference), 1)


def label(spec: dict) -> str:
    fmt = spec["format"]
    if fmt == "scan_pdf":
        if spec.get("layer"):
            return {"glyph_soup": "scan + glyph soup", "partial_ocr": "scan + partial OCR"}.get(spec["layer"], "scan + layer")
        if spec.get("rotation"):
            return "scan turned"
        if spec.get("skew") is not None:
            return "scan skewed"
        return f"scan {spec.get('dpi', '?')} dpi"
    if fmt == "fax_tiff":
        mode = "fax normal (204x98)" if spec.get("dpi", [0, 0])[1] < 150 else "fax fine (204x196)"
        return f"{mode} G3" if spec.get("compression") == "group3" else mode
    if fmt in ("photo_jpeg", "photo_heic"):
        return "photo" if fmt == "photo_jpeg" else "photo (HEIC)"
    if fmt == "tiff":
        return "tiff alpha/mixed" if spec.get("alpha") else "tiff"
    if fmt == "mixed_pdf":
        return "mixed text+scan"  # its text-layer pages are scored too
    if fmt == "form_pdf":
        return "form"
    return fmt


def main() -> None:
    totals: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
    turns = []
    for case_json in sorted(SAMPLES.glob("*/case.json")):
        case = json.loads(case_json.read_text())
        truth = json.loads((case_json.parent / "truth.json").read_text())
        for spec in case["files"]:
            if spec["format"] == "text_pdf":
                continue
            _kind, pages = read_pages((case_json.parent / spec["file"]).read_bytes(), ocr=OcrSettings(workers=2))
            source_pages: dict[int, str] = {}
            for doc in truth["documents"]:
                if doc["file"] == spec["file"]:
                    first = doc["page_range"][0]
                    for i, text in enumerate(doc["source_text"].split("\f")):
                        source_pages[first + i] = text
            for page in pages:
                if page.method != "ocr":  # text-layer and form-field pages of mixed and form PDFs
                    continue
                ref, hyp = words(source_pages.get(page.index + 1, "")), words(page.text)
                totals[label(spec)].append((len(ref), wer(ref, hyp), bag_error(ref, hyp)))
                if "rotation" in spec and "exif_orientation" not in spec:
                    turns.append((f"{case['case_id']}/{spec['file']}", spec["rotation"], page.rotation))
    print(f"{'format':<22}{'pages':>6}{'words':>7}{'WER':>8}{'order-free':>12}")
    for name, rows in sorted(totals.items()):
        n = sum(r[0] for r in rows)
        weighted = sum(r[0] * r[1] for r in rows) / n
        bag = sum(r[0] * r[2] for r in rows) / n
        print(f"{name:<22}{len(rows):>6}{n:>7}{weighted:>8.3f}{bag:>12.3f}")
    print("\nturned pages (expected clockwise turn -> turn applied):")
    for name, expected, got in turns:
        print(f"  {name}: {expected} -> {got} {'ok' if expected % 360 == got % 360 else 'WRONG'}")


if __name__ == "__main__":
    main()
