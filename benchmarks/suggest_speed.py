"""Speed and score threshold of ICD-10-CM suggestions from diagnosis words (issue 4).

    .venv/bin/python -m benchmarks.suggest_speed [--repeat N]

Prints the one-time index build time, the time per phrase (cold: first look-up of each
phrase; the module caches repeats), and, for a labelled set of phrases that name a
condition and of phrases from the sample notes' diagnosis places that do not, how many
would be suggested at each threshold: the data behind `min_score` in suggest.yaml.
Also prints what is suggested on the sample documents' source texts beside their printed
codes. Numbers depend on the machine: compare runs on one machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from extractors import icd10
from extractors import icd10_suggest as suggest
from extractors.codes import extract_icd10
from extractors.icd10_index import get_index
from extractors.pagetext import PageText
from extractors.text_pages import page_from_text

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"

# Phrase -> the code(s) (or code prefixes) a coder would accept as the best suggestion.
POSITIVES: dict[str, tuple[str, ...]] = {
    "Low back pain": ("M54.50",),
    "Obstructive sleep apnea": ("G47.33",),
    "Lumbar radiculopathy": ("M54.16",),
    "Type 2 diabetes": ("E11.9",),
    "Essential hypertension": ("I10",),
    "Morbid obesity": ("E66.01",),
    "Hypertension": ("I10",),
    "OSA": ("G47.33",),
    "LBP": ("M54.50",),
    "HTN": ("I10",),
    "DM2": ("E11.9",),
    "T2DM": ("E11.9",),
    "Diabetes mellitus type II": ("E11.9",),
    "GERD": ("K21.9",),
    "afib": ("I48.91",),
    "Atrial fibrillation": ("I48.91",),
    "Paroxysmal atrial fibrillation": ("I48.0",),
    "CKD stage 3": ("N18.30",),
    "Chronic kidney disease": ("N18.9",),
    "COPD": ("J44.9",),
    "Lumbar radicu1opathy": ("M54.16",),
    "Obesity": ("E66.9",),
    "Class III obesity": ("E66.813",),
    "Snoring": ("R06.83",),
    "Witnessed apneas": ("R06.81",),
    "Sciatica": ("M54.30",),
    "Left sciatica": ("M54.32",),
    "Osteoarthritis of right knee": ("M17.11",),
    "Primary osteoarthritis of left hip": ("M16.12",),
    "Hyperlipidemia": ("E78.5",),
    "Major depressive disorder": ("F32.9", "F32.A"),
    "Depression": ("F32.A",),
    "Generalized anxiety disorder": ("F41.1",),
    "Fatigue": ("R53.83",),
    "Lumbar spinal stenosis": ("M48.06",),
    "Cervical radiculopathy": ("M54.12",),
    "Neck pain": ("M54.2",),
    "Lumbar disc herniation": ("M51.26",),
    "L4-5 disc herniation": ("M51.26",),
    "Migraine": ("G43.909",),
    "Insomnia": ("G47.00",),
    "Asthma": ("J45.909",),
    "Muscle spasm of the back": ("M62.830",),
    "Chronic low back pain": ("M54.50", "G89.29"),
    "Hypothyroidism": ("E03.9",),
    "Iron deficiency anemia": ("D50.9",),
    "Congestive heart failure": ("I50.9",),
    "CHF": ("I50.9",),
    "Coronary artery disease": ("I25.10",),
    "Prediabetes": ("R73.03",),
    "Vitamin D deficiency": ("E55.9",),
    "Allergic rhinitis": ("J30.9",),
    "Restless legs syndrome": ("G25.81",),
    "Left foot drop": ("M21.372",),
    "Cauda equina syndrome": ("G83.4",),
    "Right knee pain": ("M25.561",),
    "Headache": ("R51.9",),
    "Lumbar spondylolisthesis": ("M43.16",),
    "Central sleep apnea": ("G47.31",),
    "Carpal tunnel syndrome": ("G56.0",),
}

# Phrases the diagnosis places of notes hold that name no condition (from the sample notes).
NEGATIVES = [
    "Ordering Provider",
    "Performing Facility",
    "Clearance",
    "relief",
    "Six",
    "helped",
    "improvement",
    "Epworth 14",
    "BMI 37.8",
    "technically inadequate",
    "Lionel Baptiste",
    "primary care",
    "severity",
    "attended",
    "attended split-night",
    "naproxen and a methylprednisolone taper",
    "gadolinium",
    "Three",
    "Low back",
    "left leg",
    "MRI lumbar spine",
    "Physical therapy",
    "home exercise program",
    "Straight-leg raise positive",
    "Gait normal",
    "Strength 5/5",
    "Sleep hygiene counseling",
    "Weight management",
    "epidural steroid",
    "meloxicam",
    "husband",
    "full duty",
    "Mallampati class IV",
    "Neck circumference",
    "water heater",
    "walker at home",
    "knee implant",
    "Name Helena Park-Whitfield",
    "Facility Camelback Imaging Center",
    "Electronically signed",
    "Saddle anesthesia with",
]


def _timed(phrase: str) -> tuple[tuple[suggest.Candidate, ...], float]:
    started = time.perf_counter()
    found = suggest.match(phrase)
    return found, (time.perf_counter() - started) * 1000


def _best(phrase: str) -> suggest.Candidate | None:
    index = get_index()
    found = index.search(index.query(phrase), 30.0, 1)  # below 30 nothing is a match
    return found[0] if found else None


def speed(repeat: int) -> None:
    started = time.perf_counter()
    icd10.load()
    print(f"code set import: {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    suggest.load_index()
    print(f"index build: {time.perf_counter() - started:.2f} s")
    phrases = [*POSITIVES, *NEGATIVES]
    cold = []
    for _ in range(repeat):
        suggest.match.cache_clear()
        cold += [_timed(p)[1] for p in phrases]
    print(
        f"per phrase (cold, {len(phrases)} phrases x {repeat}): median {statistics.median(cold):.3f} ms, "
        f"p95 {sorted(cold)[int(0.95 * len(cold))]:.3f} ms, max {max(cold):.3f} ms"
    )


def thresholds() -> None:
    print("\nphrase -> best code (score):")
    best = {p: _best(p) for p in [*POSITIVES, *NEGATIVES]}
    for p, accept in POSITIVES.items():
        c = best[p]
        ok = c is not None and c.code.startswith(accept)
        print(
            f"  {'ok ' if ok else 'BAD'} {p!r:40} {c.code if c else '-':9} {c.score if c else 0:5.1f}  {c.description[:50] if c else ''}"
        )
    for p in NEGATIVES:
        c = best[p]
        print(f"  neg {p!r:40} {c.code if c else '-':9} {c.score if c else 0:5.1f}  {c.description[:50] if c else ''}")
    print(
        f"\n{'threshold':>9} {'right':>6} {'wrong':>6} {'missed':>7} {'false+':>7}   (of {len(POSITIVES)} positives, {len(NEGATIVES)} negatives)"
    )
    for t in range(70, 100, 5):
        right = sum(1 for p, a in POSITIVES.items() if best[p] and best[p].score >= t and best[p].code.startswith(a))
        wrong = sum(1 for p, a in POSITIVES.items() if best[p] and best[p].score >= t and not best[p].code.startswith(a))
        false = sum(1 for p in NEGATIVES if best[p] and best[p].score >= t)
        print(f"{t:>9} {right:>6} {wrong:>6} {len(POSITIVES) - right - wrong:>7} {false:>7}")


def samples() -> None:
    print("\nsample documents (source texts): suggestions beside printed codes")
    cold, warm = [], []
    for truth in sorted(SAMPLES.glob("*/truth.json")):
        for doc in json.loads(truth.read_text())["documents"]:
            text = doc.get("source_text")
            if not text:
                continue
            pt = PageText(page_from_text(text))
            printed = extract_icd10(pt)
            suggest.match.cache_clear()
            for times in (cold, warm):
                started = time.perf_counter()
                found = suggest.suggest_icd10(pt, printed)
                times.append((time.perf_counter() - started) * 1000)
            if not found:
                continue
            print(f"  {truth.parent.name}/{doc['file']} printed {sorted({v.value for v in printed})}")
            for v in found:
                a = v.attributes
                print(f"    {a['rank']} {v.value:9} {a['score']:5.1f} {a['assertion']:12} {a['phrase']!r} -> {a['description']}")
    print(
        f"per document text (phrases found, matched, checked against printed codes), {len(cold)} texts: "
        f"cold median {statistics.median(cold):.2f} ms, max {max(cold):.2f} ms; "
        f"warm median {statistics.median(warm):.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="cold passes over the phrase set")
    args = parser.parse_args()
    speed(args.repeat)
    thresholds()
    samples()


if __name__ == "__main__":
    main()
