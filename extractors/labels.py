"""Label-anchored fields: member ID, group number, patient name, DOB, payer, dates.

Labels come from data/labels.yaml. They are matched OCR-tolerantly: text and labels are
folded the same way (case, punctuation, 1/l/|/! -> i, 0 -> o, "rn" -> "m") and compared
exactly, then, for labels of six or more folded characters, fuzzily with rapidfuzz. The value
sits after the label on the same line (up to the next label, a wide gap or "Word:"), or, when
nothing follows the label, in the column below it on the next line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from extractors.dates import first_date
from extractors.evidence import make_value
from extractors.identifiers import is_valid_mbi, looks_like_mbi, member_id_format, normalize_member_id, repair_mbi
from extractors.models import FieldValue
from extractors.pagetext import Line, PageText
from extractors.rules import LabelSet, label_rules, member_id_formats

_FOLD = str.maketrans({"1": "i", "l": "i", "|": "i", "!": "i", "0": "o"})
_NON_LABEL_CHARS = re.compile(r"[^a-z#]+")
_FUZZY_MIN_LEN = 6
_FUZZY_CUTOFF = 86.0


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    s = text.lower().replace("rn", "m").translate(_FOLD).replace("#", " # ")
    return " ".join(_NON_LABEL_CHARS.sub(" ", s).split())


@dataclass(frozen=True)
class _Label:
    folded: str
    text: str
    set: LabelSet
    standalone: bool
    bare_ok: bool


def _build() -> tuple[dict[str, _Label], list[str], int, re.Pattern[str], set[str]]:
    rules = label_rules()
    table: dict[str, _Label] = {}
    for ls in rules.label_sets:
        standalone = {fold(x) for x in ls.standalone}
        bare = {fold(x) for x in ls.bare_ok}
        for text in ls.labels:
            f = fold(text)
            table.setdefault(f, _Label(f, text, ls, f in standalone, f in bare))
    fuzzy_keys = [k for k in table if len(k) >= _FUZZY_MIN_LEN]
    max_tokens = max(len(k.split()) for k in table) + 1
    stops = "|".join(re.escape(s) for s in sorted(rules.stop_labels, key=len, reverse=True))
    stop_re = re.compile(rf"(?<![A-Za-z])(?:{stops})(?![A-Za-z])\s*[:#]?", re.IGNORECASE)
    empty = {e.lower() for e in rules.empty_values}
    return table, fuzzy_keys, max_tokens, stop_re, empty


_TABLE, _FUZZY_KEYS, _MAX_TOKENS, _STOP_RE, _EMPTY = _build()
_FIRST_WORDS = {key.split(" ")[0] for key in _TABLE}
_TOKEN = re.compile(r"[^\s:]+")
# A colon, or what stands for one: "#", "=", " - ", a dot leader ("Test date .... May 4").
_COLON_AFTER = re.compile(r"[ \t]*(?:[:#=]|-\s|\.\s*:|\.{2,}|_{2,}(?=\s*\S))")
# Three spaces, not two: OCR doubles spaces inside values ("Doe,  Jane").
_FIELD_GAP = re.compile(r"[ ]{3,}|\t|\s\|\s?|;")
_WIDE_GAP = re.compile(r"[ ]{3,}|\t")
_WORD_COLON = re.compile(r"\s[A-Za-z][A-Za-z./#]*:")
_SKIP_SEPARATORS = re.compile(r"[ \t:#=.\-]*")
# A title in capitals before a bare label ("PHYSICIAN CERTIFICATION OF ADMISSION Date: ..."): the
# label starts a field as it would after a wide gap.
_HEADING_BEFORE = re.compile(r"\s*(?:[A-Z][A-Z&/-]+\s+){2,}")


def _labelish(token: str) -> bool:
    """Label tokens are words; "1D" (OCR for ID) passes, "88123" does not."""
    letters = sum(map(str.isalpha, token))
    digits = sum(map(str.isdigit, token))
    return token == "#" or (letters >= 1 and digits <= 1 and letters >= digits)


KNOWN_PAYERS = [
    (p, re.compile(rf"(?<![A-Za-z]){re.escape(p)}(?![A-Za-z])", re.IGNORECASE))
    for p in sorted(label_rules().known_payers, key=len, reverse=True)
]
_NAME_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\u2019\-]*\.?,?")
_NOT_NAME = {
    "information",
    "signature",
    "name",
    "patient",
    "date",
    "unknown",
    "the",
    "and",
    "provider",
    "physician",
    "insurance",
    "member",
    "id",
    "self",
    "dob",
    "sex",
    "age",
    "male",
    "female",
    "mrn",
    "address",
    "phone",
    "birth",
    "is",
    "was",
    "has",
    "with",
    "for",
    "of",
    "to",
}
_NAME_PARTICLES = {"de", "del", "la", "van", "von", "der", "da", "di", "le", "st."}
_PROVIDER_WORDS = re.compile(
    r"provider|physician|doctor|prescriber|referring|ordering|rendering|facility|practice|clinic", re.IGNORECASE
)
_PATIENT_WORDS = re.compile(r"patient|member|subscriber|beneficiary|insured|enrollee", re.IGNORECASE)


@dataclass(frozen=True)
class LabelHit:
    label: _Label
    start: int  # offsets in the page text
    end: int
    score: float  # 1.0 exact, else the fuzzy ratio / 100
    has_colon: bool


def _left_ok(text: str, s: int) -> bool:
    """Whether text[:s] ends where a label may start, without copying the prefix: the line start, a
    wide gap, a tab, or a separator before the label."""
    j = s
    while j > 0 and text[j - 1] == " ":
        j -= 1
    return j == 0 or s - j >= 2 or text[j - 1] in "\t|,;)]"


def _colon_label_within(text: str, tokens: list[tuple[int, int]], folded: list[str], first: int, last: int) -> bool:
    """Whether an exact label followed by a colon starts at one of tokens[first:last]."""
    for t in range(first, min(last, len(tokens))):
        for k in range(min(_MAX_TOKENS, len(tokens) - t), 0, -1):
            if " ".join(folded[t : t + k]) in _TABLE and _COLON_AFTER.match(text, tokens[t + k - 1][1]):
                return True
    return False


def find_labels(line: Line, *, kv_row: bool = False) -> list[LabelHit]:
    """Label matches on one line, left to right, longest first, non-overlapping. `kv_row`: the
    line is a row of a field/value table, whose first words are its label, colon or not."""
    text = line.text
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    folded = [fold(text[a:b]) for a, b in tokens]
    # Length of the run of word-like tokens starting at each token (labels are words).
    run = [0] * (len(tokens) + 1)
    for j in range(len(tokens) - 1, -1, -1):
        run[j] = run[j + 1] + 1 if folded[j] and _labelish(text[tokens[j][0] : tokens[j][1]]) else 0
    # Where a window may end for a fuzzy match: before a colon, at the line's end or a wide gap.
    fuzzy_end = [
        bool(_COLON_AFTER.match(text, e) or not text[e:].strip(" \t:#=.-") or _WIDE_GAP.match(text, e)) for _, e in tokens
    ]
    hits: list[LabelHit] = []
    i = 0
    while i < len(tokens):
        matched = None
        exact_possible = folded[i].split(" ")[0] in _FIRST_WORDS
        for k in range(min(_MAX_TOKENS, run[i]), 0, -1):
            # Most tokens start no label: skip the windows neither an exact nor a fuzzy match can use.
            if not exact_possible and not fuzzy_end[i + k - 1]:
                continue
            s, e = tokens[i][0], tokens[i + k - 1][1]
            window = " ".join(folded[i : i + k])
            label, score = _TABLE.get(window), 1.0
            if label is None and (len(window) < _FUZZY_MIN_LEN or not fuzzy_end[i + k - 1]):
                continue
            has_colon = bool(_COLON_AFTER.match(text, e))
            # Alone on the line, or a column header followed by a wide gap. Words that end a line
            # after other text ("Insurance: Olympic Crest Health Insurance") are that text's end.
            ends_line = not text[e:].strip(" \t:#=.-")
            alone = (ends_line and _left_ok(text, s)) or bool(_WIDE_GAP.match(text, e))
            if label is None and (has_colon or alone):
                best = process.extractOne(window, _FUZZY_KEYS, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
                if best is not None:
                    label, score = _TABLE[best[0]], best[1] / 100.0
            if label is None:
                continue
            has_colon = has_colon or label.folded.endswith("#")
            row_label = kv_row and i == 0 and score == 1.0
            if not (has_colon or alone or (label.bare_ok and score == 1.0) or row_label):
                continue
            if label.standalone and not (_left_ok(text, s) or (has_colon and _HEADING_BEFORE.fullmatch(text[:s]))):
                continue
            # "VISIT Date of Service:": a bare label that overlaps one ending in a colon yields
            # to it.
            if not has_colon and not alone and _colon_label_within(text, tokens, folded, i + 1, i + k):
                break
            matched = LabelHit(label, line.start + s, line.start + e, score, has_colon)
            i += k
            break
        if matched is None:
            i += 1
        else:
            hits.append(matched)
    return hits


def _value_segment(pt: PageText, line: Line, hit: LabelHit, next_start: int) -> tuple[int, int]:
    """Offsets of the text that belongs to the label on its own line (may be empty)."""
    s = hit.end - line.start
    s = _SKIP_SEPARATORS.match(line.text, s).end()  # type: ignore[union-attr]
    e = next_start - line.start
    seg = line.text[s:e]
    cut = len(seg)
    for rx in (_FIELD_GAP, _WORD_COLON):
        m = rx.search(seg)
        if m:
            cut = min(cut, m.start())
    return line.start + s, line.start + s + cut


def _value_below(pt: PageText, line: Line, hit: LabelHit) -> tuple[int, int] | None:
    """The field in the next non-empty line nearest the label's column."""
    col = hit.start - line.start
    for nxt in pt.lines[line.index + 1 : line.index + 3]:
        if not nxt.text.strip():
            continue
        fields = [(m.start(), m.end()) for m in re.finditer(r"\S+(?: {1,2}\S+)*", nxt.text)]
        if not fields:
            return None
        s, e = min(fields, key=lambda f: abs(f[0] - col))
        if abs(s - col) > 25 or find_labels(Line(nxt.index, nxt.start + s, nxt.start + e, nxt.text[s:e])):
            return None
        return nxt.start + s, nxt.start + e
    return None


_WRAPPED_VALUE = re.compile(r"[ \t]*([^;,\s](?:[^;,\n]*?))(?=[;,]|\s{2}|\s*$)", re.MULTILINE)


def _value_wrapped(pt: PageText, line: Line, hit: LabelHit) -> tuple[int, int] | None:
    """Prose wrapped between a label and its value ("...; Subscriber ID" / "MXH93677536;
    Group No. ..."): a label ending a long line takes the start of the next line, up to the
    next separator."""
    if pt.text[hit.end : line.end].strip() or len(line.text.strip()) < 45 or line.index + 1 >= len(pt.lines):
        return None
    nxt = pt.lines[line.index + 1]
    m = _WRAPPED_VALUE.match(nxt.text)
    if m is None or find_labels(Line(nxt.index, nxt.start + m.start(1), nxt.start + m.end(1), m.group(1))):
        return None
    return nxt.start + m.start(1), nxt.start + m.end(1)


# -- value parsers: (text, offset) -> (value, start, end, certainty factor, attrs) or None --
# State Medicaid formats (the MBI has its own, stricter check above).
_ID_SHAPES = {f.id: f.shape for f in member_id_formats().formats if f.id != "mbi"}
_PROGRAM_WORDS = {"ahcccs": ("ahcccs",), "providerone": ("providerone", "client"), "health_first_colorado": ("state id",)}
_GROUP_GAP = re.compile(r" | ?[.,'`] ?")
_PREFIXED_GROUPS = re.compile(r"[A-Z]{1,4}[0-9]{0,4}(?: [0-9]{2,5}){2,}(?: [0-9])?")  # "CSA 5530 2091 8"


def _parse_member_id(seg: str, off: int, label: _Label):
    toks = list(re.finditer(r"[A-Za-z0-9][A-Za-z0-9\-]*[A-Za-z0-9]|[A-Za-z0-9]", seg))
    # OCR splits a letter prefix off an ID ("OCH 447109251" for OCH447109251), and plans print
    # one ("SVH 0881-44720-03"): rejoin an all-capitals prefix of 1-4 letters with a long,
    # mostly-digit token right after it (its dashes are the ID's own).
    body = toks[1].group().replace("-", "") if len(toks) >= 2 else ""
    if (
        len(toks) >= 2
        and re.fullmatch(r"[A-Z]{1,4}", toks[0].group())
        and seg[toks[0].end() : toks[1].start()] == " "
        and len(body) >= 6
        and sum(c.isdigit() for c in body) >= len(body) - 1
    ):
        value = normalize_member_id(toks[0].group() + toks[1].group())
        return value, off + toks[0].start(), off + toks[1].end(), 0.9, {}
    if not toks:
        return None
    end = toks[0].end()
    # IDs printed in short groups ("1EG4 TE5 MK73", "W123 4567 89", "RMB 4420 8817 03") are one
    # ID; a speck OCR read between two groups ("JHC.7741") does not split it.
    j = 1
    while (
        j < len(toks)
        and len(toks[j - 1].group()) <= 5
        and len(toks[j].group()) <= 5
        and _GROUP_GAP.fullmatch(seg[toks[j - 1].end() : toks[j].start()])
        and any(c.isdigit() for c in toks[j].group())
    ):
        end = toks[j].end()
        j += 1
    grouped = re.sub(r"[\s.,'`]+", " ", seg[toks[0].start() : end])
    if j > 1 and not (looks_like_mbi(grouped) or grouped.replace(" ", "").isdigit() or _PREFIXED_GROUPS.fullmatch(grouped)):
        end = toks[0].end()
    if not any(ch.isdigit() for ch in seg[toks[0].start() : end]):
        return None
    value = normalize_member_id(grouped if end != toks[0].end() else seg[toks[0].start() : end])
    if not 4 <= len(value) <= 25:
        return None
    attrs: dict = {}
    factor = 1.0
    repaired = repair_mbi(value) if not looks_like_mbi(value) else None
    if repaired is not None:
        # Kept as printed in `printed`: the evidence shows what the page says.
        return repaired, off + toks[0].start(), off + end, 0.85, {"mbi": True, "valid": True, "repaired": True, "printed": value}
    if looks_like_mbi(value):
        attrs = {"mbi": True, "valid": is_valid_mbi(value), "id_format": "mbi"}
        factor = 1.0 if attrs["valid"] else 0.7
        return value, off + toks[0].start(), off + end, factor, attrs
    # A label that names the program ("AHCCCS ID", "ProviderOne ID") says which format to expect.
    named = {f: sh for f, sh in _ID_SHAPES.items() if any(w in label.folded for w in _PROGRAM_WORDS.get(f, ()))}
    fmt, fixed = member_id_format(value, named, named=True) if named else member_id_format(value, _ID_SHAPES)
    if fmt is not None and fixed is not None:
        return fixed, off + toks[0].start(), off + end, 0.8, {"id_format": fmt, "repaired": True, "printed": value}
    if fmt is not None:
        attrs = {"id_format": fmt}
    return value, off + toks[0].start(), off + end, factor, attrs


def _parse_group(seg: str, off: int, label: _Label):
    m = re.match(r"[A-Za-z0-9][A-Za-z0-9\-]*[A-Za-z0-9]", seg)
    if not m or not any(ch.isdigit() for ch in m.group()) or len(m.group()) > 20:
        return None
    return m.group().upper(), off + m.start(), off + m.end(), 1.0, {}


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def normalize_person_name(raw: str) -> str:
    """A name as the vocabulary writes it, `Last, First M`, in its printed case: "Quentin A.
    Marlowe" and "MARLOWE, QUENTIN A." become "Marlowe, Quentin A" and "MARLOWE, QUENTIN A"."""
    text = " ".join(raw.split()).strip(", ")
    if "," in text:
        last, _, rest = text.partition(",")
        given = [t.rstrip(".") if len(t.rstrip(".")) == 1 else t for t in rest.replace(",", " ").split()]
        return f"{last.strip()}, {' '.join(given)}".strip(", ")
    tokens = text.split()
    suffix = [t for t in tokens[1:] if t.lower().strip(".") in _SUFFIXES]
    tokens = [t for t in tokens if t not in suffix]
    if len(tokens) < 2:
        return text
    # "van der Berg": lower-case particles before the last word belong to the last name.
    cut = len(tokens) - 1
    while cut > 1 and tokens[cut - 1].lower() in _NAME_PARTICLES:
        cut -= 1
    given = [t.rstrip(".") if len(t.rstrip(".")) == 1 else t for t in tokens[:cut]]
    last = " ".join([*tokens[cut:], *(s.rstrip(".") for s in suffix)])
    return f"{last}, {' '.join(given)}"


def _parse_name(seg: str, off: int, label: _Label):
    parts: list[re.Match[str]] = []
    for m in re.finditer(r"\S+", seg):
        tok = m.group()
        bare = tok.strip(".,").lower()
        if not _NAME_TOKEN.fullmatch(tok) or bare in _NOT_NAME:
            break
        if not tok[0].isupper() and bare not in _NAME_PARTICLES:
            break
        parts.append(m)
        if len(parts) == 5:
            break
    if not parts:
        return None
    raw = seg[parts[0].start() : parts[-1].end()].rstrip(",")
    if len(parts) < 2 and "," not in raw.strip(","):
        return None
    return normalize_person_name(raw), off + parts[0].start(), off + parts[0].start() + len(raw), 1.0, {}


def _parse_date(seg: str, off: int, label: _Label, *, dob: bool):
    found = first_date(seg, dob=dob)
    if not found:
        return None
    s, e, iso = found
    year = int(iso[:4])
    today = dt.date.today()
    if dob and not (year >= 1900 and iso <= today.isoformat()):
        return None
    if not dob and not (1990 <= year <= today.year + 5):
        return None
    # A date far from the label is probably another field's.
    factor = 1.0 if s <= 3 else 0.8
    return iso, off + s, off + e, factor, {}


def _parse_payer(seg: str, off: int, label: _Label):
    m = _STOP_RE.search(seg)
    text = seg[: m.start()] if m else seg
    words = []
    for w in re.finditer(r"\S+", text):
        if any(ch.isdigit() for ch in w.group()) or len(words) == 8:
            break
        words.append(w)
    if not words:
        return None
    raw = text[words[0].start() : words[-1].end()].strip(" ,.;-")
    if not re.search(r"[A-Za-z]{2}", raw) or raw.lower() in _EMPTY:
        return None
    factor = 1.0 if any(rx.search(raw) for _, rx in KNOWN_PAYERS) else 0.85
    return " ".join(raw.split()), off + words[0].start(), off + words[0].start() + len(raw), factor, {}


def _parse(kind: str, seg: str, off: int, label: _Label):
    if seg.strip().lower() in _EMPTY:
        return None
    if kind == "member_id":
        return _parse_member_id(seg, off, label)
    if kind == "group":
        return _parse_group(seg, off, label)
    if kind == "person_name":
        m = _STOP_RE.search(seg)
        return _parse_name(seg[: m.start()] if m else seg, off, label)
    if kind == "dob":
        return _parse_date(seg, off, label, dob=True)
    if kind == "date":
        return _parse_date(seg, off, label, dob=False)
    if kind == "payer":
        return _parse_payer(seg, off, label)
    return None


def _name_context_factor(pt: PageText, line: Line, hit: LabelHit) -> float:
    """A bare "Name:" counts for the patient only inside a patient block."""
    if hit.label.folded != "name":
        return 1.0
    left = pt.text[line.start : hit.start]
    context = [left] + [ln.text for ln in pt.lines[max(0, line.index - 4) : line.index][::-1]]
    for text in context:
        if _PROVIDER_WORDS.search(text):
            return 0.0
        if _PATIENT_WORDS.search(text):
            return 1.0
    return 0.75


# The header of a two-column table of labels and values ("Field  Value"), whose rows carry no
# colon ("D.O.B.  1973-11-01", "ID  A54901246").
_KV_HEADER = re.compile(r"^\s*(?:field|item|label|attribute|description)\s+(?:value|values|details?|entry|information)\s*$", re.I)


def extract_labelled(pt: PageText) -> list[FieldValue]:
    out: list[FieldValue] = []
    in_table, misses = False, 0
    for line in pt.lines:
        if not line.text.strip():
            in_table = False
            continue
        if _KV_HEADER.match(line.text):
            in_table, misses = True, 0
            continue
        hits = find_labels(line, kv_row=in_table)
        # The table ends at a blank line or at two rows in a row that do not start with a label.
        if in_table:
            starts_with_label = bool(hits) and not line.text[: hits[0].start - line.start].strip()
            misses = 0 if starts_with_label else misses + 1
            in_table = misses < 2
        for n, hit in enumerate(hits):
            ls = hit.label.set
            if not ls.emits or ls.value == "none":
                continue
            next_start = hits[n + 1].start if n + 1 < len(hits) else line.end
            s, e = _value_segment(pt, line, hit, next_start)
            parsed = _parse(ls.value, pt.text[s:e], s, hit.label) if e > s else None
            # Nothing after the label, or only more header words ("AHCCCS ID  MEMBER NAME (LAST,
            # FIRST)  DATE OF BIRTH" over a row of values): the value is on the line below.
            rest = pt.text[s:next_start]
            if parsed is None and (
                not rest.strip() or (ls.value != "person_name" and rest.isupper() and not any(c.isdigit() for c in rest))
            ):
                below = _value_below(pt, line, hit)
                if below:
                    parsed = _parse(ls.value, pt.text[below[0] : below[1]], below[0], hit.label)
                if parsed is None and (wrapped := _value_wrapped(pt, line, hit)):
                    parsed = _parse(ls.value, pt.text[wrapped[0] : wrapped[1]], wrapped[0], hit.label)
            if parsed is None:
                continue
            value, vs, ve, factor, attrs = parsed
            if ls.value == "person_name":
                factor *= _name_context_factor(pt, line, hit)
                if factor == 0.0:
                    continue
            certainty = ls.certainty * factor * (1.0 if hit.score == 1.0 else hit.score * 0.95)
            attrs = {**attrs, "label": hit.label.text}
            for name in ls.emits:
                out.append(make_value(pt.words, name, value, vs, ve, certainty=certainty, attributes=attrs))
    return out
