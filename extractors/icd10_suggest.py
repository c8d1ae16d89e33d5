"""Suggested ICD-10-CM codes for diagnoses written in words with no code printed (issue 4).

A note's Assessment often names a condition ("1. Lumbar radiculopathy", "Dx: OSA") without
its code. This module finds such phrases in diagnosis places and looks them up, fuzzily,
in the descriptions of the code set's billable codes. What it returns is a separate field,
`icd10_suggested`, marked `suggested`: a hint for the person reviewing, never evidence that
a code was printed, so no consumer that reads `icd10` (the completeness checker, the packet
summary) ever counts one.

Matching: an inverted index from normalized description words (lightly stemmed, with
abbreviations expanded by data/suggest.yaml) to index entries; a phrase's candidates are
the entries holding its rarest words, scored by weighted Dice overlap (rare words weigh
more; optional words of a description, such as "(adult)" or "unspecified", weigh little),
so a description that says exactly what the phrase says, and little else, wins. The index
is built lazily, once per process, the first time a phrase needs it.

Negated phrases ("no evidence of fracture") get no suggestion: a condition the note says is
absent is never a code to add, and a suggestion for it would only be noise for the reviewer.
Hypothetical and historical phrases do get suggestions, with that assertion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractors import icd10
from extractors.context import assertion, in_diagnosis_section
from extractors.evidence import make_value
from extractors.icd10_index import Candidate, get_index, literal_alternation, load_index, match, suggest_rules
from extractors.models import FieldValue
from extractors.pagetext import PageText
from extractors.rules import context_rules

_R = suggest_rules()
_B0, _B1 = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
FIELD = "icd10_suggested"
_CONTEXT_WORDS = {w.lower() for w in _R.context_words}
_BREAK_RE = re.compile(
    # Punctuation that ends a phrase: a dot only before a space or the end (not in "M54.16").
    # A dash between spaces separates ("Lumbar radiculopathy - MRI ordered"); one at a line's
    # end is a wrapped line ("obstructive sleep -" / "apnea" in OCR text).
    # Words inside a hyphenated word ("55-year-old") cut nothing.
    r"[,;:()\[\]{}\"]|\.(?=\s|$)|[ \t][-\u2013\u2014]+[ \t]|"
    + r"(?<![A-Za-z0-9-])"
    + f"(?:{literal_alternation([*_R.cut_words, *_R.context_words])})"
    + r"(?![A-Za-z0-9-])",
    re.IGNORECASE,
)
_HINTS = [(re.compile(p.pattern), p.replace) for p in _R.patterns if p.hint]
_END_RE = re.compile(r"^[ \t]*(?:" + literal_alternation(_R.place_end_starts) + r")" + _B1, re.IGNORECASE)
_FURNITURE_RE = re.compile("|".join(f"(?:{f})" for f in _R.furniture))
# A heading: up to five capitalized words (or one all-caps line), no sentence punctuation.
_HEADING_RE = re.compile(r"^[ \t]*[A-Z][A-Za-z&/'-]*(?:[ \t]+(?:[A-Z][A-Za-z&/'-]*|of|and|for|&|/)){0,4}[ \t]*$")
_JOIN_RE = re.compile(_B0 + f"(?:{literal_alternation(_R.join_words)})" + _B1, re.IGNORECASE)
_PROSE_RE = re.compile(_B0 + f"(?:{literal_alternation(_R.prose_cuts)})" + _B1, re.IGNORECASE)
_HYPOTHETICAL_RE = re.compile(_B0 + f"(?:{literal_alternation(_R.hypothetical_words)})" + _B1, re.IGNORECASE)
_LABEL_RE = re.compile(
    r"(?:^|(?<=\s\s)|(?<=\t)|(?<=\|))[ \t]*(?:\d{1,2}[.)][ \t]*)?"
    + f"(?:{literal_alternation(_R.labels)})"
    + r"(?:[ \t]*\([^)\n]{0,24}\))?[ \t]*(?::|#|\s-\s)",
    re.IGNORECASE | re.MULTILINE,
)
# A phrase that is only a label or a section name names no condition.
_LABEL_WORDS = {w.lower() for w in _R.labels} | {n.lower() for rule in context_rules().sections for n in rule.names}
_HYPHEN_END = re.compile(r"[A-Za-z][ \t]*-[ \t]*$")
# After a diagnosis label, another "Label:" further along the line ends its text.
_NEXT_LABEL = re.compile(r"\s{2,}[A-Z][A-Za-z #/]{1,30}:")
# Tokens that may be a printed code, also as OCR broke or misread it ("M54. 16", "110").
_CODE_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9|]{3}(?:[.,]\s?[A-Za-z0-9]{1,4}|[A-Za-z0-9]{0,4})(?![A-Za-z0-9])")


# -- phrases on a page ----------------------------------------------------------------------
@dataclass(frozen=True)
class Phrase:
    start: int
    end: int
    text: str
    item: tuple[int, int]  # the list item / sentence it sits in
    # A comma list ("Asthma, mild intermittent") is read whole first, as its clauses when
    # the whole names no code ("Obesity, hypertension").
    clauses: tuple[Phrase, ...] = ()


def _places(pt: PageText) -> list[tuple[int, int]]:
    """Spans of the page that hold diagnoses: diagnosis sections (after their header, up to
    where the section's text ends) and the rest of a line after a diagnosis label; page
    furniture lines left out."""
    spans: list[tuple[int, int]] = []
    starts = [s.start for s in pt.sections] + [len(pt.text)]
    for section, end in zip(pt.sections, starts[1:], strict=False):
        if section.diagnosis:
            # A section carried over from the previous page has no header on this one.
            header = pt.text[section.start : section.start + len(section.name)].lower() == section.name
            lo = section.start + len(section.name) if header else section.start
            spans += _without_furniture(pt, lo, _section_end(pt, lo, end))
    for m in _LABEL_RE.finditer(pt.text):
        if not in_diagnosis_section(pt, m.start()):
            line_end = pt.line_at(m.start()).end
            other = _NEXT_LABEL.search(pt.text, m.end(), line_end)
            spans.append((m.end(), other.start() if other else line_end))
    return sorted(spans)


def _section_end(pt: PageText, lo: int, hi: int) -> int:
    """Where a diagnosis section's text ends before `hi`: at a signature / provider block
    line, or at a heading-like line that names no condition (a header PageText does not know,
    such as "Ordering Provider")."""
    first = pt.line_at(lo)
    for line in pt.lines[first.index + 1 :]:
        if line.start >= hi:
            break
        if _END_RE.match(line.text):
            return line.start
        if _HEADING_RE.match(line.text) and not match(line.text.strip(), ocr=pt.page.method == "ocr"):
            return line.start
    return hi


def _without_furniture(pt: PageText, lo: int, hi: int) -> list[tuple[int, int]]:
    spans = []
    pos = lo
    for line in pt.lines[pt.line_at(lo).index :]:
        if line.start >= hi:
            break
        if _FURNITURE_RE.search(line.text):
            if line.start > pos:
                spans.append((pos, line.start))
            pos = line.end + 1
    if hi > pos:
        spans.append((pos, hi))
    return spans


def _items(pt: PageText, lo: int, hi: int) -> Iterable[tuple[int, int]]:
    """The sentences / list items of a place (PageText cuts at sentence ends, bullets,
    numbered items and short lines)."""
    pos = lo
    while pos < hi:
        s, e = pt.sentence(pos, pos)
        s, e = max(s, lo), min(max(e, pos + 1), hi)
        # A line ending in a hyphen is wrapped ("radicu-" / "lopathy"): the item goes on.
        while e < hi and _HYPHEN_END.search(pt.text, s, e):
            e = min(max(pt.sentence(e, e)[1], e + 1), hi)
        yield s, e
        pos = e


def _printed_strings(printed: Sequence[FieldValue]) -> set[str]:
    out: set[str] = set()
    for v in printed:
        out.add(str(v.value).upper().replace(".", ""))
        if v.attributes.get("printed"):
            out.add(re.sub(r"[\s.,]", "", str(v.attributes["printed"]).upper()))
    return out


def _has_code(text: str, printed: set[str]) -> bool:
    for m in _CODE_TOKEN.finditer(text):
        raw = m.group()
        if re.sub(r"[\s.,]", "", raw.upper()) in printed:
            return True
        # A valid dotted code the code extractor did not take is still a printed code.
        if "." in raw and raw[0].isalpha() and icd10.lookup(raw) is not None:
            return True
    return False


def _clauses(pt: PageText, s: int, e: int) -> tuple[list[tuple[int, int]], bool]:
    """Cut an item at punctuation and cut / context words; trim each piece. A piece after a
    context word ("after a fall", "for 9 weeks") is circumstance and left out. Also: whether
    only commas cut it."""
    out = []
    pos = s
    context = False
    commas_only = True
    for m in [*_BREAK_RE.finditer(pt.text, s, e), None]:
        end = m.start() if m else e
        piece = pt.text[pos:end]
        left = len(piece) - len(piece.lstrip(" \t\n-*\u2022.0123456789)"))
        right = len(piece.rstrip(" \t\n-*.,"))
        if right > left and not context:
            out.append((pos + left, pos + right))
        if m is not None:
            context = m.group().lower() in _CONTEXT_WORDS
            commas_only = commas_only and m.group() in (",", ".")
            pos = m.end()
    return out, commas_only


def _split(pt: PageText, s: int, e: int, rx: re.Pattern[str]) -> list[tuple[int, int]]:
    """The trimmed pieces of text[s:e] between matches of `rx` (none when nothing matches)."""
    cuts = list(rx.finditer(pt.text, s, e))
    if not cuts:
        return []
    bounds = [s, *(x for m in cuts for x in (m.start(), m.end())), e]
    pieces = []
    for a, b in zip(bounds[::2], bounds[1::2], strict=False):
        piece = pt.text[a:b]
        left, right = len(piece) - len(piece.lstrip()), len(piece.rstrip())
        if right > left:
            pieces.append((a + left, a + right))
    return pieces


def _clause_phrases(pt: PageText, c0: int, c1: int, item: tuple[int, int]) -> list[Phrase]:
    """The clause as a phrase; a clause too long for a diagnosis is prose, read again in
    pieces cut at "with" / "and" ("woman with chronic low back pain")."""
    spans = [(c0, c1)] if len(pt.text[c0:c1].split()) <= _R.max_phrase_words else _split(pt, c0, c1, _PROSE_RE)
    out = []
    for a, b in spans:
        text = pt.text[a:b]
        if len(text.split()) > _R.max_phrase_words or text.lower() in _LABEL_WORDS:
            continue
        if any(ch.isalpha() for ch in text):
            out.append(Phrase(a, b, text, item))
    return out


def _item_phrases(pt: PageText, s: int, e: int) -> list[Phrase]:
    clauses, commas_only = _clauses(pt, s, e)
    phrases = [p for c0, c1 in clauses for p in _clause_phrases(pt, c0, c1, (s, e))]
    if commas_only and len(phrases) > 1:
        start, end = phrases[0].start, phrases[-1].end
        text = pt.text[start:end]
        if len(text.split()) <= _R.max_phrase_words:
            return [Phrase(start, end, text, (s, e), tuple(phrases))]
    return phrases


def diagnosis_phrases(pt: PageText, printed: Sequence[FieldValue] = ()) -> list[Phrase]:
    """Phrases in diagnosis places whose item (sentence / list item) carries no printed code."""
    codes = _printed_strings(printed)
    out: list[Phrase] = []
    for lo, hi in _places(pt):
        for s, e in _items(pt, lo, hi):
            if not _has_code(pt.text[s:e], codes):
                out += _item_phrases(pt, s, e)
    return out


def _hint(pt: PageText, phrase: Phrase) -> str:
    """Words the rest of the phrase's item lends it (a spinal level's region), if the phrase
    names none itself."""
    if any(rx.search(phrase.text) for rx, _r in _HINTS):
        return ""
    s, e = phrase.item
    rest = pt.text[s : phrase.start] + " " + pt.text[phrase.end : e]
    found = dict.fromkeys(m.expand(r) for rx, r in _HINTS for m in rx.finditer(rest))
    return " ".join(w for w in found if w not in phrase.text.lower())


def _match(text: str, hint: str, ocr: bool) -> tuple[Candidate, ...]:
    """The better of the phrase alone and the phrase with its item's hint words."""
    alone = match(text, ocr=ocr)
    if not hint:
        return alone
    hinted = match(f"{text} {hint}", ocr=ocr)
    return hinted if hinted and (not alone or hinted[0].score > alone[0].score) else alone


def _best_reading(pt: PageText, phrase: Phrase) -> list[tuple[Phrase, tuple[Candidate, ...]]]:
    """The phrase as one diagnosis, or its parts around "and" when they fit better."""
    ocr = pt.page.method == "ocr"
    whole = _match(phrase.text, _hint(pt, phrase), ocr)
    parts = [Phrase(a, b, pt.text[a:b], phrase.item) for a, b in _split(pt, phrase.start, phrase.end, _JOIN_RE)]
    found = [(p, _match(p.text, _hint(pt, p), ocr)) for p in parts]
    found = [(p, cs) for p, cs in found if cs]
    if found and (not whole or max(cs[0].score for _p, cs in found) > whole[0].score):
        return found
    return [(phrase, whole)] if whole else []


def _covered(phrase: str, best: Candidate, printed: Sequence[FieldValue], ocr: bool) -> bool:
    """Already coded elsewhere: a printed code of the same category, or a printed code's
    description that says what the phrase says."""
    index = get_index()
    q = index.query(phrase, ocr=ocr)
    for v in printed:
        code = str(v.value)
        if code[:3] == best.code[:3]:
            return True
        description = v.attributes.get("description") or ""
        if description and index.coverage(q, description) >= _R.covered_score:
            return True
    return False


def _assertion(pt: PageText, phrase: Phrase, description: str) -> str:
    found = assertion(pt, phrase.start, phrase.end, target="icd10", ignore_text=description)
    if found != "present":
        return found
    # Uncertainty words context.yaml does not know ("suspected", "likely"), near the phrase.
    s, e = phrase.item
    before = pt.text[s : phrase.start].split()[-_R.qualifier_window :]
    after = pt.text[phrase.end : e].split()[: _R.qualifier_window]
    near = " ".join(before) + " | " + " ".join(after)
    return "hypothetical" if _HYPOTHETICAL_RE.search(near) else "present"


def suggest_icd10(pt: PageText, printed: Sequence[FieldValue] = ()) -> list[FieldValue]:
    """`icd10_suggested` values for the diagnoses written in words on the page.

    `printed` are the document's `icd10` values: an item that carries one gets no suggestion,
    nor does a phrase that one of them already describes. Each value: the dotted code, with
    suggested=True, description, billable, score (0-100), rank (1 = best), phrase, assertion;
    confidence at most suggest.yaml's certainty, below any printed code's.
    """
    out: list[FieldValue] = []
    for phrase in diagnosis_phrases(pt, printed):
        readings = _best_reading(pt, phrase)
        if not readings and phrase.clauses:
            readings = [r for clause in phrase.clauses for r in _best_reading(pt, clause)]
        for part, candidates in readings:
            if _covered(part.text, candidates[0], printed, pt.page.method == "ocr"):
                continue
            said = _assertion(pt, part, candidates[0].description)
            if said == "negated":
                continue
            for rank, c in enumerate(candidates, start=1):
                attrs = {
                    "suggested": True,
                    "description": c.description,
                    "billable": c.billable,
                    "score": c.score,
                    "rank": rank,
                    "phrase": part.text,
                    "assertion": said,
                }
                certainty = _R.certainty * c.score / 100
                out.append(make_value(pt.words, FIELD, c.code, part.start, part.end, certainty=certainty, attributes=attrs))
    return out


__all__ = ["FIELD", "Candidate", "Phrase", "diagnosis_phrases", "load_index", "match", "suggest_icd10", "suggest_rules"]
