"""Clinical sentences, written for this corpus: symptoms, conservative care, red flags,
negations, sleep findings, therapy measures, oncology history. Each function returns text
and states in its name or arguments what the text asserts, so the writer can record truth.
"""

from __future__ import annotations

from datetime import date

from .draw import Draw

# ---- conservative care ------------------------------------------------------------------

_FAILED = (
    "Completed {w} weeks of physical therapy without relief.",
    "PT x{w} wk, no improvement.",
    "Failed a {w}-week course of NSAIDs and home exercise.",
    "Has taken naproxen 500 mg twice daily for {w} weeks with minimal benefit.",
    "Did a supervised home exercise program for {w} weeks; pain persists.",
    "{w} weeks of chiropractic manipulation with no lasting change.",
    "Meloxicam 15 mg daily x {w} weeks plus formal PT - still rates pain 7/10.",
    "Tried physical therapy ({w} weeks, {v} visits) and a methylprednisolone taper; symptoms unchanged.",
    "Despite {w} weeks of ibuprofen, activity modification and PT, there has been no meaningful improvement.",
    "Conservative care over the past {w} weeks (PT, NSAIDs) has failed.",
)
_IMPROVED = (
    "Completed {w} weeks of PT with good improvement; pain now 2/10.",
    "After {w} weeks of home exercise and naproxen the leg pain has largely resolved.",
    "PT x{w} wk with steady gains; patient is pleased with progress.",
)


def conservative_failed(draw: Draw, weeks: int) -> str:
    return draw.pick(_FAILED).format(w=weeks, v=max(4, weeks * 2))


def conservative_improved(draw: Draw, weeks: int) -> str:
    return draw.pick(_IMPROVED).format(w=weeks)


def conservative_since(draw: Draw, start: str) -> str:
    return draw.pick(
        (
            f"Conservative management since {start}: PT twice weekly, meloxicam, home program; symptoms persist.",
            f"Started physical therapy and daily NSAID on {start} - no relief to date.",
        )
    )


def conservative_months_failed(draw: Draw, months: int) -> str:
    return draw.pick(
        (
            f"Failed {months} months of NSAIDs, physical therapy and a corticosteroid injection.",
            f"Over {months} months she has tried celecoxib, a hinged brace, PT and weight loss without relief.",
            f"Conservative treatment x {months} months (NSAIDs, intra-articular steroid, PT) - no durable benefit.",
            f"{months} months of physical therapy and oral anti-inflammatories; pain continues to limit function.",
        )
    )


def conservative_weeks_failed_knee(draw: Draw, weeks: int) -> str:
    return draw.pick(
        (
            f"Started PT and diclofenac {weeks} weeks ago; no improvement yet.",
            f"Has tried {weeks} weeks of NSAIDs and home exercise for the knee, without relief.",
            f"One steroid injection {weeks} weeks ago gave little benefit; PT just begun.",
        )
    )


# ---- spine --------------------------------------------------------------------------------

LUMBAR_SYMPTOMS = (
    "Low back pain radiating down the {side} leg to the foot",
    "Shooting pain from the {side} buttock into the calf",
    "Axial low back pain with {side} sciatica",
    "Burning pain down the posterolateral {side} thigh",
)
LUMBAR_RED_FLAGS = (
    "Progressive {side} foot drop over the past week (dorsiflexion 3/5, was 5/5 at last visit).",
    "New urinary retention and saddle numbness since yesterday - concern for cauda equina.",
    "Fever to 101.9 F with focal spinous tenderness; recent IV drug use - suspect spinal infection.",
    "Known metastatic breast cancer with new, unrelenting night pain in the lumbar spine.",
)
LUMBAR_NEGATIONS = (
    "Denies saddle anesthesia, bowel or bladder dysfunction.",
    "No fever, chills or unintended weight loss.",
    "No personal history of cancer.",
    "Strength 5/5 in bilateral lower extremities; no foot drop.",
    "Negative for trauma.",
)


def lumbar_hpi(draw: Draw, weeks: int) -> str:
    side = draw.pick(("left", "right"))
    return draw.pick(LUMBAR_SYMPTOMS).format(side=side) + f" for about {weeks} weeks."


def lumbar_exam(draw: Draw) -> str:
    side = draw.pick(("left", "right"))
    return draw.pick(
        (
            f"Positive straight leg raise on the {side} at 40 degrees; diminished {side} Achilles reflex.",
            f"SLR positive {side}; decreased sensation over the {side} L5 dermatome.",
            f"Paraspinal tenderness L4-S1; {side} SLR reproduces leg pain.",
        )
    )


# ---- brain --------------------------------------------------------------------------------

HEADACHE_HPI = (
    "Headaches for {w} weeks, bifrontal, pressure-like.",
    "Recurrent throbbing headaches over the last {w} weeks.",
    "Daily headaches x {w} wk, worse in the afternoon.",
)
HEADACHE_RED_FLAGS = (
    "New right pronator drift and mild right facial droop on exam.",
    "Sudden-onset, worst headache of life three days ago, now persistent.",
    "Clear change in pattern: now waking from sleep with headache and morning vomiting.",
    "Bilateral papilledema on fundoscopic exam.",
    "New diplopia with a left sixth nerve palsy.",
)
HEADACHE_NEGATED = (
    "Denies vision change, weakness or numbness.",
    "No focal neurologic deficits; fundi normal.",
    "Headache pattern unchanged from prior years; no thunderclap onset.",
    "No papilledema. Cranial nerves II-XII intact.",
)


# ---- sleep --------------------------------------------------------------------------------

SLEEP_SYMPTOMS = (
    "Loud nightly snoring with apneas witnessed by bed partner.",
    "Wakes gasping several nights a week; unrefreshing sleep.",
    "Falls asleep while reading and at red lights; morning headaches.",
    "Chronic daytime fatigue, nocturia x3, partner reports breathing pauses.",
)


def epworth(draw: Draw, score: int) -> str:
    return draw.pick(
        (
            f"Epworth Sleepiness Scale {score}/24.",
            f"ESS: {score}",
            f"Epworth score of {score}.",
            f"Sleepiness (Epworth) = {score} of 24",
        )
    )


def bmi_text(draw: Draw, bmi: float, neck: float) -> str:
    return draw.pick(
        (
            f"BMI {bmi:.1f} kg/m2, neck circumference {neck:.1f} in.",
            f"Body mass index: {bmi:.1f}. Neck {neck:.1f} inches.",
            f'BMI={bmi:.1f}; neck circ {neck:.1f}"',
        )
    )


def psg_indications(draw: Draw) -> list[tuple[str, dict[str, str] | None]]:
    """(sentence, diagnosis or None) pairs, any one of which justifies an in-lab PSG."""
    return [
        ("Severe COPD, GOLD 3 (FEV1 41% predicted), on home oxygen at night.", {"code": "J44.9", "text": "COPD"}),
        (
            "Chronic systolic heart failure, NYHA class III, EF 30%.",
            {"code": "I50.22", "text": "Chronic systolic heart failure"},
        ),
        ("Chronic opioid therapy (oxycodone 40 mg/day) - concern for hypoventilation.", None),
        ("Sleep attacks with cataplexy; narcolepsy suspected.", None),
        ("Home sleep apnea test last year was negative despite high clinical suspicion.", None),
    ]


# ---- knee ---------------------------------------------------------------------------------

KNEE_FUNCTION = (
    "Pain limits walking to one block; needs the rail for stairs.",
    "Unable to kneel or climb stairs without pain; has stopped grocery shopping alone.",
    "Knee pain interferes with ADLs: dressing, getting out of a car, walking the dog.",
)
KNEE_EXAM = (
    "Varus alignment, crepitus, ROM 5-100 degrees, medial joint line tenderness.",
    "Small effusion, flexion limited to 95 degrees, antalgic gait.",
    "Crepitus with ROM, flexion contracture 8 degrees, stable ligaments.",
)
NO_INFECTION = (
    "No signs of infection; skin intact.",
    "No erythema, warmth or drainage - no evidence of infection.",
    "Afebrile; no signs of joint infection.",
)


def xray_findings(draw: Draw, severe: bool) -> tuple[str, str]:
    """(findings, impression) of a knee radiograph."""
    if severe:
        grade = draw.pick((3, 4))
        findings = draw.pick(
            (
                "Severe medial joint space narrowing with bone-on-bone contact, marginal osteophytes and subchondral sclerosis.",
                "Marked joint space loss medially, large osteophytes, subchondral cysts.",
                "Tricompartmental narrowing, osteophytes and sclerosis; mild varus subluxation.",
            )
        )
        return findings, f"Advanced osteoarthritis, Kellgren-Lawrence grade {grade}."
    findings = draw.pick(
        (
            "Mild medial joint space narrowing. No osteophytes. No sclerosis.",
            "Minimal narrowing of the medial compartment; otherwise unremarkable.",
        )
    )
    return findings, "Mild degenerative change, Kellgren-Lawrence grade 2."


# ---- oncology -----------------------------------------------------------------------------


def first_line_history(draw: Draw) -> str:
    return draw.pick(
        (
            "No prior systemic therapy. No prior immunotherapy.",
            "Treatment-naive for metastatic disease; has never received a checkpoint inhibitor.",
            "Prior therapy: none for advanced disease. No previous anti-PD-1/PD-L1 agents.",
        )
    )


def second_line_history(draw: Draw) -> str:
    return draw.pick(
        (
            "Progressed after 4 cycles of carboplatin/pemetrexed; no prior immunotherapy.",
            "Disease progression on first-line platinum doublet; immunotherapy-naive.",
        )
    )


def pd1_failure(draw: Draw) -> str:
    return draw.pick(
        (
            "Progressed on nivolumab after 8 cycles (PD-1 inhibitor).",
            "Prior atezolizumab (anti-PD-L1) with progression at 6 months.",
            "Received cemiplimab in 2025 with progressive disease.",
        )
    )


def biomarker_text(draw: Draw) -> str:
    return draw.pick(
        (
            f"PD-L1 (22C3) tumor proportion score {draw.pick((50, 60, 75, 90))}%.",
            f"PD-L1 combined positive score (CPS) {draw.pick((10, 15, 22, 35))}.",
            "Microsatellite instability-high (MSI-H); MMR deficient (loss of MLH1/PMS2).",
            f"Tumor mutational burden {draw.pick((12, 14, 18))} mut/Mb (TMB-high).",
        )
    )


def months_ago(d: date, months: int) -> date:
    y, m = d.year, d.month - months
    while m < 1:
        m += 12
        y -= 1
    return date(y, m, min(d.day, 28))
