"""Fact kinds of the service families (knee, veins, migraine, eyelids, spine, sleep, bariatric,
cardiac, DME): measures, categorical findings, stress tests, signatures, new therapies and
medication classes. Pure functions: pages are built from plain text as in tests/test_facts.py."""

from __future__ import annotations

import time

import pytest

from extractors.errors import CatalogError
from extractors.fields import extract_fields
from extractors.text_pages import page_from_text


def facts_of(text: str):
    return extract_fields([page_from_text(text)])[1]


def only(text: str, name: str):
    """(value, attributes) of every `name` fact in `text`."""
    return [(v.value, dict(v.attributes)) for v in facts_of(text).get(name, ())]


def one(text: str, name: str):
    found = only(text, name)
    assert len(found) == 1, found
    return found[0]


def absent(text: str, name: str) -> bool:
    return name not in facts_of(text)


def present_values(text: str, name: str):
    return [v for v, a in only(text, name) if a["assertion"] == "present"]


# --- kl_grade ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value,side",
    [
        ("Right knee: Kellgren-Lawrence grade 3 osteoarthritis.", 3, "right"),
        ("KL grade 4 bilateral.", 4, "bilateral"),
        ("K-L 3 on the left.", 3, "left"),
        ("KL III changes of the right knee.", 3, "right"),
        ("Kellgren Lawrence grade 2.", 2, None),
        ("Kellgren-Lawrence grade is 3.", 3, None),
        ("Grade 3 (Kellgren-Lawrence) changes.", 3, None),
        ("Kellgren and Lawrence grade IV.", 4, None),
    ],
)
def test_kl_grade(text, value, side):
    v, a = one(text, "kl_grade")
    assert v == value and isinstance(v, int)
    assert a["unit"] == "grade" and a["assertion"] == "present"
    assert a.get("side") == side


def test_kl_grade_range_sides_and_date():
    v, a = one("Standing films 09/30/2026 show K-L grade 3-4 changes.", "kl_grade")
    assert (v, a["range_high"], a["date"]) == (3, 4.0, "2026-09-30")
    got = [(v, a["side"]) for v, a in only("Right knee KL grade 3, left knee KL grade 2.", "kl_grade")]
    assert got == [(3, "right"), (2, "left")]


@pytest.mark.parametrize(
    "text",
    [
        "KL grade to be assessed on standing films.",  # no number
        "KL 5.",  # out of range
        "Call the KL office at 555-1212.",  # a phone number
        "KL 4/12/2026 films reviewed.",  # a date
        "Skeletal survey at grade 3 school.",  # no anchor
    ],
)
def test_kl_grade_near_misses(text):
    assert absent(text, "kl_grade")


def test_kl_grade_historical_and_hypothetical():
    assert one("History of KL grade 2 changes in 2019.", "kl_grade")[1]["assertion"] == "historical"
    assert one("If KL grade 4, consider arthroplasty.", "kl_grade")[1]["assertion"] == "hypothetical"


# --- ceap_class ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value",
    [
        ("CEAP C2.", 2),
        ("CEAP class 4.", 4),
        ("CEAP: C4a, Ep, As, Pr.", 4),
        ("C3 (edema) per CEAP classification.", 3),
        ("CEAP clinical class C6 with active ulcer.", 6),
        ("CEAP classification: C5.", 5),
    ],
)
def test_ceap_class(text, value):
    v, a = one(text, "ceap_class")
    assert v == value and a["unit"] == "class" and a["assertion"] == "present"


@pytest.mark.parametrize(
    "text",
    [
        "C3 edema noted on exam.",  # CEAP not named
        "CEAP 2004 classification used.",  # a year
        "CEAP C7.",  # out of range
        "Cervical spine C5-C6 disc bulge.",
    ],
)
def test_ceap_class_near_misses(text):
    assert absent(text, "ceap_class")


# --- venous_reflux -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value,cmp",
    [
        ("Reflux of 850 ms in the right GSV.", 850.0, None),
        ("GSV reflux time 1.2 seconds.", 1200.0, None),
        ("Retrograde flow > 500 ms at the saphenofemoral junction.", 500.0, ">"),
        ("Left great saphenous vein: reflux 2,500 ms.", 2500.0, None),
        ("Reflux duration greater than 0.5 s.", 500.0, ">"),
    ],
)
def test_venous_reflux(text, value, cmp):
    v, a = one(text, "venous_reflux")
    assert v == value and a["unit"] == "ms" and a.get("comparator") == cmp and a["assertion"] == "present"


def test_venous_reflux_side_and_date():
    _, a = one("Duplex 10/02/2026: reflux of 850 ms in the right GSV.", "venous_reflux")
    assert a["side"] == "right" and a["date"] == "2026-10-02"


@pytest.mark.parametrize(
    "text",
    [
        "Acid reflux for 3 years, on omeprazole 20 mg.",  # GERD, no duration unit
        "Reflux > 500 ms is considered pathologic.",  # a criterion
        "Reflux must be > 500 ms.",
        "No reflux in the deep system.",
        "GERD with reflux 2 times a week.",
    ],
)
def test_venous_reflux_near_misses(text):
    assert absent(text, "venous_reflux")


def test_venous_reflux_negated():
    assert one("No reflux greater than 500 ms was seen.", "venous_reflux")[1]["assertion"] == "negated"


# --- headache_days -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value,kind",
    [
        ("She reports 18 headache days per month.", 18.0, "headache"),
        ("Headaches 20 days/month despite topiramate.", 20.0, "headache"),
        ("Headache frequency: 16 days per month.", 16.0, "headache"),
        ("Headache days per month: 18.", 18.0, "headache"),
        ("Migraine days: 12/month.", 12.0, "migraine"),
        ("Migraines 15 of 30 days.", 15.0, "migraine"),
        ("Averages 22 monthly headache days.", 22.0, "headache"),
    ],
)
def test_headache_days(text, value, kind):
    v, a = one(text, "headache_days")
    assert v == value and a["unit"] == "days/month" and a["type"] == kind and a["assertion"] == "present"


def test_headache_days_range_and_comparator():
    v, a = one("15-20 headache days per month.", "headache_days")
    assert (v, a["range_high"]) == (15.0, 20.0)
    assert one("Headaches on > 15 days per month.", "headache_days")[1]["comparator"] == ">"


@pytest.mark.parametrize(
    "text",
    [
        "Headache for 3 days.",  # a duration, not a monthly count
        "Headache 2 days ago.",
        "Headaches 3 times per week.",
        "18 headache days in the past 3 months.",
        "At least 15 headache days per month required.",  # a criterion
        "Headache days goal < 4 per month.",
        "Headache 3/10 today.",  # a pain score
    ],
)
def test_headache_days_near_misses(text):
    assert absent(text, "headache_days")


def test_headache_days_historical():
    assert one("History of migraines 20 days per month before Aimovig.", "headache_days")[1]["assertion"] == "historical"


# --- visual_field ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value,taped",
    [
        ("Superior visual field limited to 24 degrees.", 24.0, None),
        ("Upper field 20° untaped, 45° taped.", 20.0, 45.0),
        ("Superior visual field: untaped 20 degrees, taped 45 degrees.", 20.0, 45.0),
        ("Superior field 45° taped, 20° untaped.", 20.0, 45.0),
        ("Superior visual field 25 degrees, improves to 50 degrees with taping.", 25.0, 50.0),
    ],
)
def test_visual_field(text, value, taped):
    v, a = one(text, "visual_field")
    assert v == value and a.get("taped") == taped and a["unit"] == "degrees" and a["assertion"] == "present"


def test_visual_field_side():
    assert one("Superior visual field 20 degrees OU.", "visual_field")[1]["side"] == "bilateral"


@pytest.mark.parametrize(
    "text",
    [
        "Humphrey visual field 24-2 full.",  # a test pattern
        "Visual fields full to confrontation.",
        "Superior visual field should be 30 degrees or less for coverage.",  # a criterion
        "Visual field loss of 30%.",  # not degrees
        "Visual field 30 degree loss superiorly.",
    ],
)
def test_visual_field_near_misses(text):
    assert absent(text, "visual_field")


# --- mrd1 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value,side",
    [
        ("MRD1 1.5 mm OD.", 1.5, "right"),
        ("MRD-1 of 2 mm bilaterally.", 2.0, "bilateral"),
        ("MRD1 -1 mm right eye.", -1.0, "right"),
        ("Margin reflex distance 1: OS 0.5 mm.", 0.5, "left"),
        ("MRD 1 measures 1 mm.", 1.0, None),
    ],
)
def test_mrd1(text, value, side):
    v, a = one(text, "mrd1")
    assert v == value and a["unit"] == "mm" and a.get("side") == side and a["assertion"] == "present"


@pytest.mark.parametrize(
    "text",
    [
        "MRD1 2 cm.",  # wrong unit
        "MRD1 12 mm.",  # out of range
        "MRD1 to be measured at the next visit.",
        "MRD1 must be 2 mm or less.",  # a criterion
        "MRD2 5 mm.",  # the lower lid
    ],
)
def test_mrd1_near_misses(text):
    assert absent(text, "mrd1")


# --- cotinine --------------------------------------------------------------------------------------
def test_cotinine_numbers_and_words():
    assert one("Cotinine < 10 ng/mL.", "cotinine") == (10.0, {"unit": "ng/mL", "comparator": "<", "assertion": "present"})
    v, a = one("Serum cotinine 3 ng/mL (negative).", "cotinine")
    assert (v, a["result"], a["specimen"]) == (3.0, "negative", "serum")
    v, a = one("Urine cotinine: negative.", "cotinine")
    assert (v, a["result"], a["specimen"], a["assertion"]) == ("negative", "negative", "urine", "present")
    v, a = one("Cotinine negative on 10/02/2026.", "cotinine")
    assert (v, a["date"]) == ("negative", "2026-10-02")
    assert one("Nicotine/cotinine screen: not detected.", "cotinine")[0] == "negative"
    assert one("Cotinine positive.", "cotinine")[1]["result"] == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "Cotinine 3 mg/dL.",  # wrong unit
        "Cotinine pending.",
        "Cotinine level must be < 10 ng/mL before surgery.",  # a criterion
        "Call the cotinine lab at 602-555-1212.",  # a phone number
        "Cotinine test ordered.",
        "Nicotine 5 ng/mL.",  # not cotinine
    ],
)
def test_cotinine_near_misses(text):
    assert absent(text, "cotinine")


def test_cotinine_hypothetical():
    assert one("If cotinine is positive, surgery is postponed.", "cotinine")[1]["assertion"] == "hypothetical"


# --- pain_relief -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value,after,cmp",
    [
        ("She reported 80% relief after the first medial branch block.", 80.0, "block", None),
        ("The spinal cord stimulator trial gave 60% reduction in pain.", 60.0, "trial", None),
        ("Greater than 50% pain relief for 6 hours.", 50.0, "unspecified", ">"),
        ("Relief: 90% after the second MBB.", 90.0, "block", None),
        ("Pain relief of 70-80% after the epidural steroid injection.", 70.0, "injection", None),
    ],
)
def test_pain_relief(text, value, after, cmp):
    v, a = one(text, "pain_relief")
    assert (v, a["after"], a.get("comparator"), a["unit"], a["assertion"]) == (value, after, cmp, "%", "present")


@pytest.mark.parametrize(
    "text",
    [
        "At least 50% relief is required before RFA.",  # a criterion
        "Goal of 50% pain relief.",
        "50% or greater relief.",
        "No relief with PT.",  # no number
        "Relief 7/10.",  # not a percent
        "SpO2 95% with relief of dyspnea.",
    ],
)
def test_pain_relief_near_misses(text):
    assert absent(text, "pain_relief")


def test_pain_relief_negated_and_historical():
    assert one("Denies 50% relief after the block.", "pain_relief")[1]["assertion"] == "negated"
    assert one("History of 80% relief after facet injections in 2020.", "pain_relief")[1]["assertion"] == "historical"


# --- cpap_adherence --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value",
    [
        ("Used CPAP >= 4 hours on 78% of nights.", 78.0),
        ("Compliance 82% of nights >4 h.", 82.0),
        ("Usage >= 4 h: 24 of 30 nights (80%).", 80.0),
        ("CPAP download: usage >= 4 hours 27 of 30 days (90%).", 90.0),
        ("Percent of days with usage >= 4 hours: 93%.", 93.0),
    ],
)
def test_cpap_adherence(text, value):
    v, a = one(text, "cpap_adherence")
    assert v == value and a["hours"] == 4.0 and a["unit"] == "%" and a["assertion"] == "present"


def test_cpap_adherence_date():
    v, a = one("CPAP download 09/01/2026 to 09/30/2026: 85% of nights >= 4 hours.", "cpap_adherence")
    assert (v, a["date"], a["date_end"]) == (85.0, "2026-09-01", "2026-09-30")


@pytest.mark.parametrize(
    "text",
    [
        "Target adherence 70%.",  # a goal
        "CPAP adherence goal is 70% of nights.",
        "Medicare requires use >= 4 hours on 70% of nights.",
        "Compliance is defined as use >= 4 hours per night on 70% of nights.",
        "CPAP at 10 cm H2O, used nightly.",  # a pressure
        "Pap smear 2024 normal. AHI 2.1 on CPAP.",
        "Compliance with PT 80%.",  # no nights, no hours
        "CPAP usage 6.5 hours per night on average.",  # no percent of nights
    ],
)
def test_cpap_adherence_near_misses(text):
    assert absent(text, "cpap_adherence")


# --- therapy_visits --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value,kind",
    [
        ("She completed 12 PT visits.", 12, "completed"),
        ("8 visits to date with physical therapy.", 8, "completed"),
        ("Requesting 12 additional visits of physical therapy.", 12, "requested"),
        ("Visits completed: 12 (physical therapy).", 12, "completed"),
        ("Physical therapy for 6 weeks (12 visits) did not help.", 12, "unspecified"),
        ("Completed 8 sessions of cognitive behavioral therapy.", 8, "completed"),
    ],
)
def test_therapy_visits(text, value, kind):
    v, a = one(text, "therapy_visits")
    assert v == value and isinstance(v, int) and a["kind"] == kind and a["unit"] == "visits"


def test_therapy_visits_dates():
    text = "She completed 6 weeks of physical therapy (12 sessions, 08/24/2026 to 10/05/2026) without relief."
    v, a = one(text, "therapy_visits")
    assert (v, a["kind"], a["date"], a["date_end"]) == (12, "completed", "2026-08-24", "2026-10-05")


@pytest.mark.parametrize(
    "text",
    [
        "PT 2 visits per week for 6 weeks.",  # a frequency
        "Office visit 10/12/2026 for PT follow-up.",  # a date
        "He had 3 ER visits this year.",  # not therapy
        "She has had 3 office visits and PT.",
        "Follow-up visit in 2 weeks after physical therapy.",
        "Visit 3 of 12 of physical therapy.",
    ],
)
def test_therapy_visits_near_misses(text):
    assert absent(text, "therapy_visits")


# --- stress_test -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value,test",
    [
        ("Abnormal stress test.", "abnormal", "unspecified"),
        ("Exercise stress test positive for ischemia.", "abnormal", "exercise"),
        ("Nuclear stress test: small reversible inferior wall defect consistent with ischemia.", "abnormal", "nuclear"),
        ("Reversible perfusion defect in the anterior wall.", "abnormal", "nuclear"),
        ("Exercise treadmill test: 10 METs, normal BP response, 2 mm ST depression in V4-V6.", "abnormal", "exercise"),
        ("Dobutamine stress echo: inducible wall motion abnormality.", "abnormal", "echo"),
        ("Stress test negative.", "normal", "unspecified"),
        ("Normal nuclear stress test.", "normal", "nuclear"),
        ("Myocardial perfusion imaging showed no ischemia.", "normal", "nuclear"),
        ("Lexiscan stress test: no evidence of reversible ischemia, normal LV function.", "normal", "nuclear"),
        ("Stress test without any ischemia.", "normal", "unspecified"),
        ("Stress echo nondiagnostic due to poor windows.", "equivocal", "echo"),
        ("SPECT equivocal for inferior ischemia.", "abnormal", "nuclear"),
    ],
)
def test_stress_test(text, value, test):
    v, a = one(text, "stress_test")
    assert (v, a["test"], a["assertion"]) == (value, test, "present")


def test_stress_test_date_and_assertions():
    v, a = one("Nuclear stress test 09/12/2026: reversible perfusion defect.", "stress_test")
    assert (v, a["date"]) == ("abnormal", "2026-09-12")
    assert one("If stress test is abnormal, proceed to catheterization.", "stress_test")[1]["assertion"] == "hypothetical"
    assert one("History of abnormal stress test.", "stress_test")[1]["assertion"] == "historical"


@pytest.mark.parametrize(
    "text",
    [
        "Stress test ordered to evaluate for ischemia.",  # no result written
        "No stress test on file.",
        "Nuclear stress test scheduled for 11/02/2026.",
        "Normal sinus rhythm on the resting ECG before the stress test.",
        "Work stress and anxiety.",  # not a test
    ],
)
def test_stress_test_near_misses(text):
    assert [(v, a["assertion"]) for v, a in only(text, "stress_test") if a["assertion"] == "present"] == []


def test_stress_test_findings_without_a_test_name():
    assert one("No reversible perfusion defects.", "stress_test") == ("normal", {"test": "nuclear", "assertion": "present"})
    assert one("SPECT: no reversible defects, normal wall motion.", "stress_test")[0] == "normal"


def test_two_stress_tests_in_one_sentence():
    got = [v for v, _ in only("Exercise stress test normal in 2024, nuclear stress test abnormal in 2026.", "stress_test")]
    assert sorted(got) == ["abnormal", "normal"]


# --- evaluation --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value",
    [
        ("Psychological evaluation completed 09/12/2026; cleared for surgery.", "psychological"),
        ("Psych eval done.", "psychological"),
        ("Behavioral health evaluation on 08/01/2026.", "psychological"),
        ("Cleared by psychology for bariatric surgery.", "psychological"),
        ("Nutrition evaluation completed.", "nutrition"),
        ("Seen by registered dietitian on 10/01/2026.", "nutrition"),
        ("Dietitian consult 09/15/2026.", "nutrition"),
        ("Seating and mobility evaluation by PT on 10/03/2026.", "mobility"),
        ("Specialty evaluation by PT/OT completed.", "mobility"),
        ("LCMP evaluation performed.", "mobility"),
        ("Face-to-face examination performed 10/05/2026.", "face_to_face"),
        ("Face to face encounter documented.", "face_to_face"),
        ("F2F completed with Dr. Roe.", "face_to_face"),
    ],
)
def test_evaluation(text, value):
    assert present_values(text, "evaluation") == [value]


def test_evaluation_date():
    _, a = one("Psychological evaluation completed 09/12/2026; cleared for surgery.", "evaluation")
    assert a["date"] == "2026-09-12"


def test_face_to_face_mobility_exam_is_not_the_specialty_evaluation():
    assert only("FACE-TO-FACE MOBILITY EXAMINATION Date of Service: 08/20/2026", "evaluation") == [
        ("face_to_face", {"assertion": "present", "date": "2026-08-20"})
    ]


@pytest.mark.parametrize(
    "text,assertion",
    [
        ("Psychological evaluation pending.", "hypothetical"),
        ("Psych eval scheduled for 11/02/2026.", "hypothetical"),
        ("Recommend nutrition consult.", "hypothetical"),
        ("Referral to registered dietitian.", "hypothetical"),
        ("Will need a seating and mobility evaluation.", "hypothetical"),
        ("No psychological evaluation on file.", "negated"),
        ("Has not had a psychological evaluation.", "negated"),
    ],
)
def test_evaluation_not_done(text, assertion):
    (fact,) = only(text, "evaluation")
    assert fact[1]["assertion"] == assertion


@pytest.mark.parametrize(
    "text",
    [
        "Psychological evaluation was completed in order to clear him for surgery.",
        "Psychological evaluation (required): completed 09/01/2026.",
        "Psychological evaluation completed per referral from Dr. Smith.",
    ],
)
def test_evaluation_done_despite_plan_like_words(text):
    assert present_values(text, "evaluation") == ["psychological"]


def test_evaluation_each_gets_its_own_pending():
    got = {
        v: a["assertion"] for v, a in only("Psychological evaluation completed and nutrition evaluation pending.", "evaluation")
    }
    assert got == {"psychological": "present", "nutrition": "hypothetical"}


# --- functional_limitation ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,activity",
    [
        ("Pain limits her ADLs.", None),
        ("Difficulty with activities of daily living.", None),
        ("Unable to walk more than one block.", "walking"),
        ("Ptosis interferes with driving and reading.", "driving"),
        ("Ptosis interferes with reading.", "reading"),
        ("Significant functional impairment.", None),
        ("Knee pain limits his ability to work.", "work"),
        ("Difficulty dressing and bathing.", "dressing"),
        ("Cannot climb stairs.", "stairs"),
    ],
)
def test_functional_limitation(text, activity):
    v, a = one(text, "functional_limitation")
    assert v == "adl" and a.get("activity") == activity and a["assertion"] == "present"


def test_functional_decline_is_not_a_refusal():
    # context.yaml reads "declined" as a refusal; a walking that has declined is a limitation.
    v, a = one("Over the past year his walking has declined: he can only walk about 20 feet.", "functional_limitation")
    assert (v, a["activity"], a["assertion"]) == ("adl", "walking", "present")


@pytest.mark.parametrize(
    "text",
    ["Denies difficulty with ADLs.", "No functional limitations.", "Pain does not limit his ADLs."],
)
def test_functional_limitation_negated(text):
    (fact,) = only(text, "functional_limitation")
    assert fact[1]["assertion"] == "negated"


@pytest.mark.parametrize(
    "text", ["Independent in all ADLs.", "Lab values within normal limits.", "Walks 2 miles daily.", "Difficulty sleeping."]
)
def test_functional_limitation_near_misses(text):
    assert absent(text, "functional_limitation")


# --- mechanical_symptoms ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,values",
    [
        ("Knee locks and gives way.", ["locking", "giving_way"]),
        ("Mechanical locking and catching.", ["locking", "catching"]),
        ("Episodes of buckling.", ["giving_way"]),
        ("Reports a catching sensation in the medial knee.", ["catching"]),
        ("The knee gave out twice this week.", ["giving_way"]),
    ],
)
def test_mechanical_symptoms(text, values):
    assert present_values(text, "mechanical_symptoms") == values


def test_mechanical_symptoms_assertions():
    got = {v: a["assertion"] for v, a in only("No locking, catching or giving way.", "mechanical_symptoms")}
    assert got == {"locking": "negated", "catching": "negated", "giving_way": "negated"}
    got = {v: a["assertion"] for v, a in only("Denies locking or catching but reports giving way.", "mechanical_symptoms")}
    assert got == {"locking": "negated", "catching": "negated", "giving_way": "present"}
    assert one("History of locking, now resolved.", "mechanical_symptoms")[1]["assertion"] == "historical"


@pytest.mark.parametrize(
    "text",
    ["ORIF with a locking plate and locking screws.", "Needs to catch up on sleep.", "Catching her breath after stairs."],
)
def test_mechanical_symptoms_near_misses(text):
    assert absent(text, "mechanical_symptoms")


# --- signature ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value,method,date",
    [
        ("Electronically signed by Dr. Jane Roe on 10/30/2026.", "signed", "electronic", "2026-10-30"),
        ("ELECTRONICALLY SIGNED BY: JANE ROE MD 10/30/2026 14:22", "signed", "electronic", "2026-10-30"),
        ("Signed: Jane Roe, MD  Date: 10/30/2026", "signed", "handwritten_line", "2026-10-30"),
        ("Sincerely,\n/s/ Jane Roe, MD", "signed", "electronic", None),
        ("Digitally signed by John Smith.", "signed", "electronic", None),
        ("Authenticated by: Jane Roe, MD 10/30/2026", "signed", "attested", "2026-10-30"),
        ("Signed by Jane Roe, MD on 10/30/2026.", "signed", None, "2026-10-30"),
        ("Unsigned draft.", "unsigned", None, None),
        ("Signature pending.", "unsigned", None, None),
        ("Pending electronic signature.", "unsigned", "electronic", None),
        ("Dictated but not signed.", "unsigned", None, None),
        ("Physician Signature: ____________  Date: ________", "unsigned", "handwritten_line", None),
        ("Not electronically signed.", "unsigned", "electronic", None),
    ],
)
def test_signature(text, value, method, date):
    v, a = one(text, "signature")
    assert (v, a.get("method"), a.get("date"), a["assertion"]) == (value, method, date, "present")


@pytest.mark.parametrize(
    "text",
    [
        "Signature: Date:",  # a form label: a wet signature may be there as an image
        "Attach the signed order and the most recent office note.",
        "The patient signed the consent form.",
        "Consent signed by the patient.",
        "Patient signature: Jane Roe",  # the patient's, not the author's
        "Signs and symptoms of infection reviewed.",
        "Signed page printed, countersigned and scanned.",
    ],
)
def test_signature_near_misses(text):
    assert absent(text, "signature")


# --- new conservative therapies ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,therapy",
    [
        ("She wore compression stockings for 3 months without improvement.", "compression_stockings"),
        ("Compression hose x 12 weeks, no relief.", "compression_stockings"),
        ("Graduated compression for 6 months.", "compression_stockings"),
        ("Unloader knee brace for 8 weeks without benefit.", "bracing"),
        ("Bracing for 6 weeks.", "bracing"),
        ("Cervical collar for 2 weeks.", "bracing"),
        ("Weight loss program for 6 months without success.", "weight_loss"),
        ("Dietary modification for 6 months.", "weight_loss"),
        ("Completed a 6-month medically supervised weight loss program.", "supervised_weight_loss"),
        ("Supervised weight management program x 6 months.", "supervised_weight_loss"),
        ("Physician-supervised diet for 6 months.", "supervised_weight_loss"),
        ("Activity modification for 6 weeks.", "activity_modification"),
        ("Activity restriction without benefit.", "activity_modification"),
        ("Cognitive behavioral therapy for 8 weeks.", "psychotherapy"),
        ("CBT helped.", "psychotherapy"),
        ("Pain psychology sessions x 6 weeks.", "psychotherapy"),
        ("Occupational therapy for 6 weeks.", "occupational_therapy"),
        ("OT for 6 weeks.", "occupational_therapy"),
        ("Speech therapy x 12 weeks.", "speech_therapy"),
        ("Speech-language therapy for 8 weeks.", "speech_therapy"),
        ("SLP for 8 weeks.", "speech_therapy"),
    ],
)
def test_new_therapies(text, therapy):
    assert [v for v, _ in only(text, "conservative_therapy")] == [therapy]


def test_new_therapies_duration_outcome_and_pressure():
    (fact,) = only("She has worn 20-30 mmHg compression stockings for 3 months without improvement.", "conservative_therapy")
    assert fact == (
        "compression_stockings",
        {"duration_weeks": 13.04, "outcome": "failed", "assertion": "present", "mmhg": "20-30"},
    )
    (fact,) = only("Completed a 6-month medically supervised weight loss program.", "conservative_therapy")
    assert fact[1]["duration_weeks"] == pytest.approx(26.07)
    (fact,) = only("She has not tried compression stockings.", "conservative_therapy")
    assert fact[1]["assertion"] == "negated"


@pytest.mark.parametrize(
    "text",
    [
        "Unintentional weight loss of 10 lbs.",  # a symptom, not a therapy
        "OTC ibuprofen as needed for the COT.",  # "OT" only as an abbreviation on its own
        "Sequential compression devices for DVT prophylaxis.",
        "Hot tub use, lots of walking.",
    ],
)
def test_new_therapies_near_misses(text):
    values = [v for v, _ in only(text, "conservative_therapy")]
    assert not {"occupational_therapy", "weight_loss", "compression_stockings", "speech_therapy"} & set(values)


# --- new medication classes ----------------------------------------------------------------------------
def test_nasal_steroids():
    got = {v: a for v, a in only("Failed Flonase for 8 weeks. Nasonex did not help.", "failed_medication")}
    assert got["fluticasone"]["drug_class"] == "nasal_steroid" and got["fluticasone"]["duration_weeks"] == 8.0
    assert got["mometasone"]["outcome"] == "failed"
    assert [v for v, _ in only("Failed Flonase for 8 weeks.", "conservative_therapy")] == ["nasal_steroid"]
    assert one("Tried Nasacort without relief.", "failed_medication")[0] == "triamcinolone"
    assert one("Tried triamcinolone nasal spray for 4 weeks.", "failed_medication")[0] == "triamcinolone"


@pytest.mark.parametrize(
    "text",
    [
        "Triamcinolone 40 mg injected into the knee, no relief.",  # an injection, not a nasal steroid
        "Tried a fluticasone inhaler for asthma.",
        "Budesonide/formoterol inhaler, failed.",
        "Tried ketoconazole 200 mg tablets.",  # oral ketoconazole is not topical
    ],
)
def test_steroid_and_antifungal_decoys(text):
    classes = {a["drug_class"] for _, a in only(text, "failed_medication")}
    assert not {"nasal_steroid", "topical_antifungal"} & classes


def test_topical_antifungals_triptans_and_gepants():
    got = [v for v, _ in only("Failed nystatin powder and clotrimazole cream.", "failed_medication")]
    assert got == ["nystatin", "clotrimazole"]
    assert [v for v, _ in only("Failed nystatin powder for 4 weeks.", "conservative_therapy")] == ["topical_antifungal"]
    assert one("Ketoconazole cream was tried without relief.", "failed_medication")[0] == "ketoconazole"
    got = {v: a["drug_class"] for v, a in only("Sumatriptan helped. Failed rizatriptan and Nurtec.", "failed_medication")}
    assert got == {"sumatriptan": "triptan", "rizatriptan": "triptan", "rimegepant": "cgrp_antagonist"}
    # A triptan is acute treatment, not a conservative therapy of its own, and not a preventive.
    assert "conservative_therapy" not in facts_of("Failed sumatriptan.")
    assert one("Failed Depakote for 3 months.", "failed_medication")[1]["drug_class"] == "migraine_preventive"


# --- the rule file and its schema ------------------------------------------------------------------------
def test_every_new_fact_kind_in_one_note():
    text = (
        "Right knee KL grade 3. Knee locks. CEAP C4. Reflux of 850 ms. 18 headache days per month. "
        "Superior visual field limited to 24 degrees. MRD1 1.5 mm. Cotinine < 10 ng/mL. "
        "80% relief after the medial branch block. Used CPAP >= 4 hours on 78% of nights. "
        "Completed 12 PT visits. Abnormal stress test. Psychological evaluation completed. "
        "Pain limits her ADLs.\nElectronically signed by Jane Roe, MD on 10/30/2026."
    )
    names = set(facts_of(text))
    assert names >= {
        "kl_grade",
        "ceap_class",
        "venous_reflux",
        "headache_days",
        "visual_field",
        "mrd1",
        "cotinine",
        "pain_relief",
        "cpap_adherence",
        "therapy_visits",
        "stress_test",
        "evaluation",
        "functional_limitation",
        "mechanical_symptoms",
        "signature",
    }


def test_fact_names_known_to_the_catalog():
    # The completeness checker may only ask for facts the extractors report.
    from packet_builder.catalog import FACT_NAMES

    new = {
        "kl_grade",
        "ceap_class",
        "venous_reflux",
        "headache_days",
        "visual_field",
        "mrd1",
        "cotinine",
        "pain_relief",
        "cpap_adherence",
        "therapy_visits",
        "stress_test",
        "evaluation",
        "functional_limitation",
        "mechanical_symptoms",
        "signature",
    }
    assert new <= set(FACT_NAMES)


def _rules_text() -> str:
    from extractors.rules import DATA_DIR

    return (DATA_DIR / "facts.yaml").read_text()


def test_rule_file_validates_with_the_service_schema(tmp_path):
    from extractors.fact_schema import ServiceFactRules
    from extractors.rules import load_rules

    (tmp_path / "facts.yaml").write_text(_rules_text())
    rules = load_rules("facts.yaml", ServiceFactRules, data_dir=tmp_path)
    assert "kl_grade" in rules.measures and "evaluation" in rules.findings


@pytest.mark.parametrize(
    "old,new,key",
    [
        ("  kl_grade:\n    unit: grade", "  kl_grade_typo:\n    unit: grade", "measures"),  # an unknown measure name
        ("'\\bgrade\\s+(?P<num>[0-4]", "'\\bgrade\\s+(?P<num>[0-4]((", "does not compile"),  # a bad regex
        ("'cotinine', '{serum", "'cotinine {', '{serum", "measures"),  # bad term syntax
        ("    names_only: [ketoconazole, terbinafine]", "    names_only: [ketoconazole, fluconazole]", "medication_classes"),
        ("  findings_test: nuclear", "  findings_test: nuclear\n  surprise: 1", "stress_test"),
        ("    pending: '\\b(?:pending|", "    pending: '\\b(?:PENDING|", "findings"),  # lower case only
    ],
)
def test_rule_file_errors_are_catalog_errors(tmp_path, old, new, key):
    from extractors.fact_schema import ServiceFactRules
    from extractors.rules import load_rules

    text = _rules_text()
    assert old in text
    (tmp_path / "facts.yaml").write_text(text.replace(old, new, 1))
    with pytest.raises(CatalogError, match=rf"facts\.yaml.*{key}"):
        load_rules("facts.yaml", ServiceFactRules, data_dir=tmp_path)


def test_separator_runs_do_not_backtrack_exponentially():
    # The shared `sep` snippet once had "(\\s*item\\s*)*": 12 ": " after "BMI" took half a second,
    # 40 would never end. Every measure's value pattern starts with it.
    text = "BMI" + " :  " * 40 + "\nMRD1" + " of " * 40 + "\nHeadaches" + " -  " * 40 + "\nPain" + " :  " * 40
    started = time.perf_counter()
    facts_of(text)
    assert time.perf_counter() - started < 1.0


def test_existing_facts_unchanged_by_new_anchors():
    # "pain relief" is a pain_relief anchor; a pain score written after "pain" still reads.
    f = facts_of("Back pain 7/10. No relief with physical therapy for 6 weeks. BMI 31. Epworth 12.")
    assert [v.value for v in f["pain_score"]] == [7.0]
    assert [v.value for v in f["bmi"]] == [31.0] and [v.value for v in f["epworth"]] == [12]
    assert "pain_relief" not in f
