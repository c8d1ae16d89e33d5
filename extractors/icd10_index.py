"""The ICD-10-CM description index behind suggested codes: the suggestion rules
(data/suggest.yaml), word normalization (light stemming, abbreviations, OCR letter repair), and
an inverted index from normalized description words to billable codes, scored by weighted Dice
overlap so that a description saying exactly what a phrase says, and little else, wins. Built
lazily, once per process, the first time a phrase needs it (about 1.3 s). `match` looks a
phrase up; icd10_suggest.py finds the phrases.
"""

from __future__ import annotations

import bisect
import gc
import math
import re
import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from extractors import icd10
from extractors.rules import load_rules


# -- rules ----------------------------------------------------------------------------------
class _Pattern(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str
    replace: str
    hint: bool = False


class SuggestRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    labels: list[str]
    abbreviations: dict[str, str]
    numbered_words: list[str]
    roman: dict[str, str]
    place_end_starts: list[str]
    furniture: list[str]
    cut_words: list[str]
    context_words: list[str]
    patterns: list[_Pattern]
    prose_cuts: list[str]
    join_words: list[str]
    hypothetical_words: list[str]
    qualifier_window: int
    stop_words: list[str]
    low_weights: dict[str, float]
    setting_words: dict[str, float]
    extension_factor: float
    tail_factors: dict[str, float]
    suffixes: list[str]
    min_stem: int
    ocr_letters: dict[str, str]
    repair_min_length: int
    repair_score: float
    unknown_weight: float
    min_score: float
    min_other_score: float
    max_candidates: int
    covered_score: float
    max_phrase_words: int
    certainty: float


@cache
def suggest_rules() -> SuggestRules:
    return load_rules("suggest.yaml", SuggestRules)


_R = suggest_rules()


def literal_alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# Word boundaries that also work for literals with "/" or "-" ("w/o", "a-fib").
_B0, _B1 = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
_ABBREV_RE = re.compile(_B0 + f"(?:{literal_alternation(_R.abbreviations)})" + _B1, re.IGNORECASE)
_ABBREV = {k.lower(): v for k, v in _R.abbreviations.items()}
_ROMAN_RE = re.compile(rf"\b({literal_alternation(_R.numbered_words)})\s+({literal_alternation(_R.roman)})\b", re.IGNORECASE)
_PATTERNS = [(re.compile(p.pattern), p.replace) for p in _R.patterns]
_STOP = set(_R.stop_words)
_SUFFIXES = sorted(_R.suffixes, key=len, reverse=True)
_TOKEN = re.compile(r"[a-z0-9|!$]+")
_LETTERS = re.compile(r"[a-z]")
_OCR_TABLE = str.maketrans(_R.ocr_letters)
_HYPHEN = re.compile(r"(?<=[a-z0-9])-(?=[a-z0-9])")
_WRAPPED = re.compile(r"(?<=[A-Za-z])-[ \t]*\n[ \t]*(?=[a-z])")  # "radicu-" / "lopathy": one word
_TAILS = re.compile(r"\b(" + "|".join(re.escape(t) for t in _R.tail_factors) + r")\b")
_BRACKETS = re.compile(r"([()\[\]])")


# -- normalization --------------------------------------------------------------------------
@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _R.min_stem:
            return word[: -len(suffix)]
    return word


def normalize(text: str, *, expand: bool = True) -> str:
    """Lower case, roman numerals after type/stage/class as digits, hyphens joined
    ("gastro-esophageal" and "gastroesophageal" are one word), and for a note's phrase (not a
    code's description) words hyphenated across lines joined and abbreviations expanded."""
    if expand:
        text = _WRAPPED.sub("", text)
        text = _ABBREV_RE.sub(lambda m: _ABBREV[m.group().lower()], text)
        for rx, replacement in _PATTERNS:
            text = rx.sub(replacement, text)
    text = _ROMAN_RE.sub(lambda m: f"{m.group(1)} {_R.roman[m.group(2).lower()]}", text)
    text = text.lower().replace("'s", "").replace("'", "")
    return _HYPHEN.sub("", text)


def _measure_like(token: str) -> bool:
    """A decimal or a number of two or more digits is a measurement, a count or a date part."""
    return token[0].isdigit() and (len(token) > 1 or "." in token)


def words(text: str) -> list[str]:
    """The stemmed content words of already-normalized text, stop words left out."""
    return [stem(t) for t in _TOKEN.findall(text) if t not in _STOP and not _measure_like(t)]


# Weights are given per word as written; phrases are matched on stems.
_LOW = {stem(w): v for w, v in _R.low_weights.items()}
_SETTING = {stem(w): v for w, v in _R.setting_words.items()}


def _weight(word: str, idf: dict[str, float]) -> float:
    """A word's weight, the same on both sides: fixed, or its rarity in the code set."""
    fixed = _LOW.get(word)
    return fixed if fixed is not None else idf.get(word, 0.0) * _SETTING.get(word, 1.0)


# -- the index ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    code: str  # dotted
    description: str
    billable: bool  # always True: only billable codes are indexed
    score: float  # 0-100


@dataclass(frozen=True)
class _Query:
    weights: dict[str, float]  # stem -> weight in the phrase
    total: float  # including the weight of unknown words


@lru_cache(maxsize=8192)
def _word_factors(text: str) -> tuple[tuple[str, float, bool], ...]:
    """The words of a description, each with the factor of the place it sits in and whether
    it is optional (cached: the 7th-character texts repeat thousands of times).

    Words in (parentheses) and [brackets] are the code set's nonessential modifiers and
    synonyms: optional, they cost a description nothing when a phrase lacks them. Words after
    "due to" / "without" (a cause, an absence) weigh less: notes rarely state them.
    """
    if "(" not in text and "[" not in text and not _TAILS.search(text):  # most descriptions
        return tuple((w, 1.0, False) for w in dict.fromkeys(words(normalize(text, expand=False))))
    out: dict[str, tuple[float, bool]] = {}
    depth = 0
    for piece in _BRACKETS.split(text):
        if piece in ("(", "["):
            depth += 1
        elif piece in (")", "]"):
            depth = max(0, depth - 1)
        else:
            factor = 1.0
            for part in _TAILS.split(normalize(piece, expand=False)):
                if part in _R.tail_factors:
                    factor = min(factor, _R.tail_factors[part])
                    continue
                for w in words(part):
                    old_factor, old_optional = out.get(w, (0.0, True))
                    out[w] = (max(old_factor, factor), old_optional and depth > 0)
    return tuple((w, f, o) for w, (f, o) in out.items())


def _weights(factors: Iterable[tuple[str, float, bool]], idf: dict[str, float], base: float = 1.0) -> dict[str, float]:
    return {w: _weight(w, idf) * f * base for w, f, _o in factors}


def _idf(factors: list[tuple[tuple[str, float, bool], ...]]) -> dict[str, float]:
    """Rarity of each word over the index texts (a 7th-character family counts once)."""
    df: dict[str, int] = {}
    for fs in factors:
        for w, _f, _o in fs:
            df[w] = df.get(w, 0) + 1
    n = len(factors)
    return {w: math.log(1 + n / c) for w, c in df.items()}


@dataclass(frozen=True, slots=True)
class _Raw:
    text: str
    members: tuple[tuple[str, str, str], ...]  # (code, description, 7th-character text)


def _raw_entries() -> list[_Raw]:
    """Billable codes grouped as index texts: each code's description and inclusion terms,
    and one text per family of 7th-character codes (their shared parent description)."""
    m = icd10._codes()
    families: dict[str, list[tuple[str, str, str]]] = {}
    raws: list[_Raw] = []
    for code in m.get_all_codes(True):
        if not m.is_leaf(code):  # billable codes only (chapters and blocks have children)
            continue
        desc = m.get_description(code)
        if m.is_extended_subcategory(code):
            parent = m.get_parent(code)
            parent_desc = m.get_description(parent)
            if desc.startswith(parent_desc):
                families.setdefault(parent, []).append((code, desc, desc[len(parent_desc) :]))
                continue
        raws.append(_Raw(desc, ((code, desc, ""),)))
        for term in (*m.get_inclusion_term(code), *m.get_includes(code)):
            raws.append(_Raw(term, ((code, desc, ""),)))
    for parent, members in families.items():
        group = tuple(members)
        raws.append(_Raw(m.get_description(parent), group))
        for term in m.get_inclusion_term(parent):
            raws.append(_Raw(term, group))
    return raws


class _Index:
    """The index, stored in columns: one list per attribute, indexed by entry or member.

    Numbers in arrays, and columns of strings, atomic dicts and tuples of those, keep the ~47k
    entries and ~89k codes out of the garbage collector's sight: as objects (a frozenset or a
    named tuple each) and lists of numbers they tripled the time of every full collection of
    the process (measured: ~110 ms for the code set alone, ~300 ms with such an index).
    """

    def __init__(self) -> None:
        raws = _raw_entries()
        factors = [_word_factors(r.text) for r in raws]
        self.idf = _idf(factors)
        word_weight = {w: _weight(w, self.idf) for w in self.idf}
        # Members: the billable codes, each with its 7th-character words (shared per text).
        self.codes: list[str] = []
        self.descriptions: list[str] = []
        self.extra: list[dict[str, float]] = []
        self.extra_total = array("d")
        extras: dict[str, tuple[dict[str, float], float]] = {}
        # Entries: the indexed texts.
        self.weights: list[dict[str, float]] = []
        self.total = array("d")  # of the words that are not optional
        self.optional: list[tuple[str, ...]] = []
        self.members: list[tuple[int, ...]] = []
        self.extra_words: list[tuple[str, ...]] = []  # the words of all members' 7th-character texts
        self.lightest = array("i")  # the member to report when the phrase names none of those
        for raw, fs in zip(raws, factors, strict=True):
            weights = {w: word_weight[w] * f for w, f, _o in fs}
            optional = tuple(w for w, _f, o in fs if o)
            self.weights.append(weights)
            self.optional.append(optional)
            self.total.append(sum(v for w, v in weights.items() if w not in optional))
            members = tuple(self._member(code, desc, ext, extras) for code, desc, ext in raw.members)
            self.members.append(members)
            self.extra_words.append(tuple({w for m in members for w in self.extra[m]}))
            self.lightest.append(min(members, key=self.extra_total.__getitem__))
        self.postings, self.posting_totals = self._postings()
        # Known words by first letter and length, for OCR repair by nearest word.
        self.by_shape: dict[tuple[str, int], list[str]] = {}
        for w in self.postings:
            if w.isalpha():
                self.by_shape.setdefault((w[0], len(w)), []).append(w)

    def _member(self, code: str, desc: str, ext: str, extras: dict[str, tuple[dict[str, float], float]]) -> int:
        # Thousands of codes share each 7th-character text: weigh each text once.
        if ext not in extras:
            extra = _weights(_word_factors(ext), self.idf, _R.extension_factor) if ext else {}
            extras[ext] = (extra, sum(extra.values()))
        self.codes.append(code)
        self.descriptions.append(desc)
        self.extra.append(extras[ext][0])
        self.extra_total.append(extras[ext][1])
        return len(self.codes) - 1

    def _postings(self) -> tuple[dict[str, array[int]], dict[str, array[float]]]:
        """Each word's entries in order of their total weight, so that a search can stop
        where an entry is too long to reach the floor score whatever it shares."""
        postings: dict[str, list[int]] = {}
        for i, weights in enumerate(self.weights):
            for w in weights:
                postings.setdefault(w, []).append(i)
        totals = self.total
        for ids in postings.values():
            ids.sort(key=totals.__getitem__)
        return (
            {w: array("i", ids) for w, ids in postings.items()},
            {w: array("d", (totals[i] for i in ids)) for w, ids in postings.items()},
        )

    # -- phrase words -> query ------------------------------------------------------------
    def known(self, word: str, *, ocr: bool) -> tuple[str, float] | None:
        """The index word for a phrase word and how sure the reading is (< 1 when repaired).

        Digits and marks inside a word are read as the letters OCR mistakes them for; on an
        OCR page a word the code set does not know may also be the nearest known word."""
        if word in self.postings:
            return word, 1.0
        if not _LETTERS.search(word):
            return None
        fixed = stem(word.translate(_OCR_TABLE))
        if fixed != word and fixed.isalpha() and fixed in self.postings:
            return fixed, 0.9
        if not (ocr or fixed != word) or len(fixed) < _R.repair_min_length or not fixed.isalpha():
            return None
        near = [w for n in range(len(fixed) - 2, len(fixed) + 3) for w in self.by_shape.get((fixed[0], n), ())]
        best = process.extractOne(fixed, near, scorer=fuzz.ratio, score_cutoff=_R.repair_score)
        return (best[0], best[1] / 100) if best else None

    def query(self, phrase: str, *, ocr: bool = False) -> _Query:
        weights: dict[str, float] = {}
        total = 0.0
        for w in words(normalize(phrase)):
            hit = self.known(w, ocr=ocr)
            if hit is None:
                total += _R.unknown_weight
                continue
            word, sure = hit
            weight = _weight(word, self.idf) * sure
            if weight > weights.get(word, 0.0):
                total += weight - weights.get(word, 0.0)
                weights[word] = weight
        return _Query(weights, total)

    # -- search ---------------------------------------------------------------------------
    def _candidate_entries(self, q: _Query, floor: float) -> set[int]:
        """Entries that may reach `floor`: those holding one of the phrase's heaviest words,
        enough of them that an entry holding none cannot reach it (prefix filtering: Dice <=
        2R/(W+R) for R the weight left), and short enough (Dice <= 2W/(W+T) for T the entry's
        weight)."""
        out: set[int] = set()
        rest = q.total
        longest = q.total * (200 / floor - 1)
        for word, weight in sorted(q.weights.items(), key=lambda kv: -kv[1]):
            if 200 * rest / (q.total + rest) < floor:
                break
            out.update(self.postings[word][: bisect.bisect_right(self.posting_totals[word], longest)])
            rest -= weight
        return out

    def search(self, q: _Query, floor: float, limit: int) -> list[Candidate]:
        if not q.weights:
            return []
        best: dict[int, float] = {}  # member -> score
        for i in self._candidate_entries(q, floor):
            ew = self.weights[i]
            optional_words = self.optional[i]
            shared = 0.0
            optional = 0.0  # optional words count only when the phrase has them
            for t, w in q.weights.items():
                if t in ew:
                    shared += min(w, ew[t])
                    if t in optional_words:
                        optional += ew[t]
            named = any(t in q.weights for t in self.extra_words[i])
            base = q.total + self.total[i] + optional
            for m in self.members[i] if named else (self.lightest[i],):
                extra = self.extra[m]
                matched = shared + sum(min(w, extra[t]) for t, w in q.weights.items() if t in extra)
                score = 200 * matched / (base + self.extra_total[m])
                if score >= floor and score > best.get(m, 0.0):
                    best[m] = score
        by_code: dict[str, Candidate] = {}
        for m, score in best.items():
            code = self.codes[m]
            if code not in by_code or score > by_code[code].score:
                by_code[code] = Candidate(code, self.descriptions[m], True, round(score, 1))
        # Ties go to the lower code ("M54.50 unspecified" before "M54.59 other").
        return sorted(by_code.values(), key=lambda c: (-c.score, c.code))[:limit]

    def coverage(self, q: _Query, description: str) -> float:
        """How much of the phrase (0-100, by weight) a description's words cover."""
        dw = _weights(_word_factors(description), self.idf)
        shared = sum(w for t, w in q.weights.items() if t in dw)
        return 100 * shared / q.total if q.total else 0.0


_lock = threading.Lock()
_index: _Index | None = None


def load_index() -> None:
    """Build the index now (a service may call this at start-up, after icd10.load())."""
    get_index()


def get_index() -> _Index:
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                # The build allocates about a million small objects, none in reference cycles;
                # with the code set's large tree alive, each automatic collection would walk
                # it too (measured: the build takes about twice as long with collection on).
                enabled = gc.isenabled()
                gc.disable()
                try:
                    _index = _Index()
                finally:
                    if enabled:
                        gc.enable()
    return _index


@lru_cache(maxsize=4096)
def match(phrase: str, *, ocr: bool = False, limit: int = _R.max_candidates) -> tuple[Candidate, ...]:
    """The billable codes whose descriptions best fit a diagnosis phrase, best first, each
    scoring at least min_other_score; empty unless the best reaches min_score. `ocr`: the
    phrase was OCRed, so unknown words may be repaired to the nearest known word."""
    index = get_index()
    found = index.search(index.query(phrase, ocr=ocr), _R.min_other_score, limit)
    if not found or found[0].score < _R.min_score:
        return ()
    return tuple(found)


__all__ = ["Candidate", "get_index", "literal_alternation", "load_index", "match", "suggest_rules"]
