"""Facts that are a value or a result printed next to a name: measures (Epworth, BMI, AHI, RDI,
oxygen nadir, HbA1c, ejection fraction, pain and function scores, and the measures of the
service families: KL grade, CEAP class, venous reflux, headache days, visual field, MRD1,
cotinine, pain relief, CPAP adherence, therapy visits) and results (TB test, cardiac stress
tests; PD-L1 and tumor biomarkers are in extractors.fact_tumor). A result is a fact only when
the result itself is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extractors.context import assertion
from extractors.fact_page import FactPage, fact_value
from extractors.fact_schema import NearAttribute, ServiceFactRules, ServiceMeasureRule, fact_rules
from extractors.fact_terms import Hit, result_table, term_key
from extractors.models import FieldValue
from extractors.rules import fill_snippets

_F = fact_rules()
_I = re.IGNORECASE


# --- attributes read from words near a fact -------------------------------------------------
@dataclass(frozen=True)
class Near:
    """An attribute whose value is the nearest of its patterns around a fact (NearAttribute)."""

    attribute: str
    rule: NearAttribute
    regex: re.Pattern[str]  # one alternation; group v<i> is the i-th value
    values: tuple[str, ...]

    @classmethod
    def compile(cls, attribute: str, rule: NearAttribute) -> Near:
        values = tuple(rule.values)
        alternation = "|".join(f"(?P<v{i}>{'|'.join(rule.values[v])})" for i, v in enumerate(values))
        return cls(attribute, rule, re.compile(alternation), values)

    def read(self, page: FactPage, start: int, end: int) -> str | None:
        """The value written nearest to text[start:end] (inside it first, then on the side the
        rule prefers), or the default."""
        s0, s1 = page.pt.sentence(start, end)
        lo, hi = max(s0, start - self.rule.before_chars), min(s1, end + self.rule.after_chars)
        inside: str | None = None
        before: tuple[int, str] | None = None  # (distance, value)
        after: tuple[int, str] | None = None
        for m in self.regex.finditer(page.lowered, lo, hi):
            value = self.values[int((m.lastgroup or "v0")[1:])]
            if m.start() < end and m.end() > start:
                inside = inside or value
            elif m.end() <= start:
                before = (start - m.end(), value)  # later matches are nearer
            elif after is None:
                after = (m.start() - end, value)
        if inside is not None:
            return inside
        sides = {"before": [before, after], "after": [after, before]}.get(self.rule.prefer)
        if sides is None:
            sides = sorted((x for x in (before, after) if x is not None), key=lambda x: x[0])  # type: ignore[arg-type]
        found = next((x for x in sides if x is not None), None)
        if found is not None:
            return found[1]
        # Nothing near: the document's head may say what it is about ("PROCEDURE NOTE ...
        # Procedure: diagnostic lumbar medial branch blocks"), when it names one value only.
        head_end = page.pt.lines[min(len(page.pt.lines), _HEAD_LINES) - 1].end if page.pt.lines else 0
        named = {self.values[int((m.lastgroup or "v0")[1:])] for m in self.regex.finditer(page.lowered, 0, min(head_end, start))}
        return named.pop() if len(named) == 1 else self.rule.default


_HEAD_LINES = 5  # lines at the top of a page read as what the document is about


# --- measures: a number right after its name ------------------------------------------------
@dataclass(frozen=True)
class _MeasureSpec:
    name: str
    rule: ServiceMeasureRule
    after: dict[str, re.Pattern[str]]  # anchor key -> value pattern
    before: re.Pattern[str] | None
    before_check: re.Pattern[str] | None
    sentence_requires: re.Pattern[str] | None
    words: dict[str, str]  # term key of a result word -> result
    near: tuple[Near, ...]


def _measure_specs(rules: ServiceFactRules) -> dict[str, _MeasureSpec]:
    def compiled(p: str, flags: int = _I) -> re.Pattern[str]:
        return re.compile(fill_snippets(p, rules.snippets), flags)

    return {
        name: _MeasureSpec(
            name,
            m,
            {key: compiled(a.value or m.value) for key, a in m.anchors.items()},
            compiled(m.before) if m.before else None,
            compiled(m.before_check) if m.before_check else None,
            compiled(m.sentence_requires, 0) if m.sentence_requires else None,
            {term_key(p): result for result, phrases in m.words.items() for p in phrases},
            tuple(Near.compile(attr, rule) for attr, rule in m.near.items()),
        )
        for name, m in rules.measures.items()
    }


_MEASURES = _measure_specs(_F)
_GOAL = re.compile(_F.goal_words, _I)
_GOAL_AFTER = re.compile(_F.goal_after, _I)
COMPARATORS = {
    "≤": "<=",
    "≥": ">=",
    "less than": "<",
    "under": "<",
    "below": "<",
    "greater than": ">",
    "over": ">",
    "above": ">",
}


# What may follow a measure's name on its line when the value sits on the next one: nothing but
# separators, or a threshold ("Days with usage >= 4 hours" over "24/30 (80%)" in a table).
_LINE_REST = re.compile(r"[ \t:=-]*(?:(?:>=|≥|>|<=|≤|<)\s*\d{1,3}(?:\.\d+)?\s*\+?\s*[A-Za-z%/]{0,8}[ \t:=)-]*)?")


def _value_end(page: FactPage, hit: Hit, sentence_end: int) -> int:
    """Where a measure's number may end: its sentence, or the next line when the name ends its
    line ("Epworth Sleepiness Scale" / "9." wrapped, or a label above its value)."""
    line = page.pt.line_at(hit.end)
    if sentence_end > line.end or line.end + 1 >= len(page.text) or not _LINE_REST.fullmatch(page.text, hit.end, line.end):
        return sentence_end
    return page.pt.line_at(line.end + 1).end


def _measure_match(page: FactPage, spec: _MeasureSpec, hit: Hit, key: str) -> re.Match[str] | None:
    s0, s1 = page.pt.sentence(hit.start, hit.end)
    if spec.sentence_requires is not None and spec.sentence_requires.search(page.text, s0, s1) is None:
        return None  # "3 visits" in a sentence that is not about therapy
    m = spec.after[key].match(page.text, hit.end, _value_end(page, hit, s1))
    goal_after = [m.end()] if m is not None else []
    if m is None and spec.before is not None:
        m = spec.before.search(page.text, max(s0, hit.start - 30), hit.start)
        if m is None:
            return None
        after_anchor = hit.end
        if spec.before_check is not None:
            check = spec.before_check.match(page.text, hit.start, s1)
            if check is None:
                return None  # "18 headache days" without "per month"
            after_anchor = max(after_anchor, check.end())
        # "50% or greater relief", "50% relief is required": criteria, read after the number
        # and after the name.
        goal_after = [m.end("num"), after_anchor]
    if m is None:
        return None
    # A target or a criterion is not the patient's value: "AHI target < 5", "BMI 35 or greater".
    lo = max(s0, min(hit.start, m.start()) - _F.goal_words_before_chars)
    if _GOAL.search(page.text, lo, max(hit.start, _value_span(m)[0])) or any(
        _GOAL_AFTER.match(page.text, p, s1) for p in goal_after
    ):
        return None
    return m


def _value_span(m: re.Match[str]) -> tuple[int, int]:
    """Where the value is written: the number, or the result word ("cotinine negative")."""
    if m.group("num") is None and "word" in m.re.groupindex:
        return m.span("word")
    return m.span("num")


def _to_number(spec: _MeasureSpec, text: str) -> float:
    text = text.lower().replace(",", "")
    return spec.rule.numerals.get(text) if text in spec.rule.numerals else float(text)  # type: ignore[return-value]


def _measure_number(spec: _MeasureSpec, m: re.Match[str]) -> float | None:
    g = m.groupdict()
    n = _to_number(spec, g["num"])
    if g.get("neg"):
        n = -n  # "MRD1 -1 mm"
    if g.get("den") and spec.rule.scale_to:
        n = n / float(g["den"]) * spec.rule.scale_to
    unit = (g.get("unit") or "").lower()
    if unit in spec.rule.convert:
        factor, offset = spec.rule.convert[unit]
        n = n * factor + offset
    n = round(n, 2)
    if not spec.rule.min <= n <= spec.rule.max:
        return None
    if spec.rule.integer and not n.is_integer():
        return None
    return n


def _measure_attrs(spec: _MeasureSpec, m: re.Match[str], key: str, n: float | None) -> dict[str, Any] | None:
    g = m.groupdict()
    attrs: dict[str, Any] = {"unit": spec.rule.unit}
    if spec.rule.anchor_attribute:
        attrs[spec.rule.anchor_attribute] = key
    if g.get("cmp"):
        cmp = " ".join(g["cmp"].lower().split())
        attrs["comparator"] = COMPARATORS.get(cmp, cmp)
    if g.get("num2") and n is not None:
        high = _to_number(spec, g["num2"])
        if not n <= high <= spec.rule.max:
            return None
        attrs["range_high"] = high
    for group, attribute in spec.rule.groups.items():
        if g.get(group) and attribute not in attrs:
            attrs[attribute] = float(g[group])
    if g.get("result"):
        attrs["result"] = spec.words[term_key(g["result"].lower())]
    return attrs


def measures(page: FactPage) -> list[FieldValue]:
    out = []
    taken: set[tuple[str, int]] = set()  # (measure, number start): one fact per number
    for h in page.of("measure"):
        for role in h.roles:
            if role.kind != "measure":
                continue
            spec = _MEASURES[role.value]
            key = role.detail or role.value
            m = _measure_match(page, spec, h, key)
            if m is None:
                continue
            vspan = _value_span(m)
            if (spec.name, vspan[0]) in taken:
                continue
            value: float | int | str
            if m.group("num") is None:  # a result word: "cotinine negative"
                word = spec.words[term_key(m.group("word").lower())]
                attrs = _measure_attrs(spec, m, key, None)
                value = word
                if attrs is not None:
                    attrs["result"] = word
            else:
                n = _measure_number(spec, m)
                attrs = None if n is None else _measure_attrs(spec, m, key, n)
                if n is None:
                    continue
                value = int(n) if spec.rule.integer else n
            if attrs is None:
                continue
            taken.add((spec.name, vspan[0]))
            span = (min(h.start, m.start()), max(h.end, m.end()))
            for near in spec.near:
                found = near.read(page, *span)
                if found is not None:
                    attrs[near.attribute] = found
            attrs["assertion"] = assertion(page.pt, *span, target=spec.name)
            out.append(fact_value(page, spec.name, value, vspan, 0.9, attrs))
    return out


# --- results: TB test, stress tests (PD-L1, biomarkers: fact_tumor) ------------------------------------------------------
def window_end(page: FactPage, hit: Hit, max_chars: int, stop_kinds: tuple[str, ...]) -> int:
    """Where the text that may hold a name's result ends: the sentence end, a ';', max_chars,
    or the next name of one of stop_kinds."""
    end = min(page.pt.sentence(hit.start, hit.end)[1], hit.end + max_chars)
    semicolon = page.text.find(";", hit.end, end)
    if semicolon >= 0:
        end = semicolon
    for other in page.hits:
        if hit.end <= other.start < end and any(other.has(k) for k in stop_kinds):
            return other.start
    return end


_TB_RESULT, _TB_RESULT_KEY = result_table(_F.tb_test.results)
_TB_BEFORE = re.compile(_F.tb_test.before, _I)
_TB_MM = re.compile(_F.tb_test.induration, _I)
_TB_REQUIRES = {t: re.compile(r.requires, _I) for t, r in _F.tb_test.tests.items() if r.requires}


def _before_result(word: str) -> str:
    word = word.lower()
    if word.startswith(("neg", "non")):
        return "negative"
    return "indeterminate" if word in ("indeterminate", "equivocal") else "positive"


def tb_tests(page: FactPage) -> list[FieldValue]:
    out = []
    covered = -1
    for h in page.of("tb"):
        if h.start < covered:
            continue  # "TB" inside "CXR negative for TB", already read
        test = h.value("tb")
        s0, s1 = page.pt.sentence(h.start, h.end)
        end = window_end(page, h, _F.tb_test.max_chars, ("tb",))
        span_end = h.end
        if test in _TB_REQUIRES:
            needed = _TB_REQUIRES[test].search(page.text, h.end, min(s1, h.end + _F.tb_test.max_chars))
            if needed is None:
                continue
            span_end = needed.end()
        result = _TB_RESULT.search(page.lowered, h.end, end)
        mm = _TB_MM.search(page.text, h.end, end)
        if result is not None:
            value, res_span = _TB_RESULT_KEY[term_key(result.group())], result.span()
        elif mm is not None and int(mm.group("mm")) == 0:
            value, res_span = "negative", mm.span()
        elif (before := _TB_BEFORE.search(page.text, max(s0, h.start - 30), h.start)) is not None:
            value, res_span = _before_result(before.group("res")), before.span("res")
        else:
            continue  # the test is named without a result: no fact
        span = (min(h.start, res_span[0]), max(span_end, res_span[1]))
        covered = span[1]
        attrs: dict[str, Any] = {"test": test}
        if mm is not None:
            attrs["induration_mm"] = int(mm.group("mm"))
        attrs["assertion"] = assertion(page.pt, *res_span, target="tb_test")
        out.append(fact_value(page, "tb_test", value, span, 0.85, attrs))
    return out


_ST = _F.stress_test
_ST_RESULT, _ST_RESULT_KEY = result_table(_ST.results)
_ST_BEFORE = re.compile(_ST.before, _I)
_ST_RANK = {"abnormal": 3, "equivocal": 2, "normal": 1}


def _before_stress_result(word: str) -> str:
    if word in ("abnormal", "positive"):
        return "abnormal"
    return "normal" if word in ("normal", "negative", "unremarkable") else "equivocal"


def _stress_result(page: FactPage, h: Hit) -> tuple[str, tuple[int, int], int] | None:
    """(result, span of the words saying it, end of the test's text) for a named stress test: a
    result just before the name ("abnormal nuclear stress test"), else the strongest result
    after it."""
    end = window_end(page, h, _ST.max_chars, ())
    for other in page.hits:  # the next test's name ends this one's results
        if h.end <= other.start < end and (role := other.role("stress_test")) is not None and role.detail is None:
            end = other.start
            break
    s0 = page.pt.sentence(h.start, h.end)[0]
    before = _ST_BEFORE.search(page.lowered, max(s0, h.start - 30), h.start)
    if before is not None:
        return _before_stress_result(before.group("res").replace("-", "")), before.span("res"), end
    best: tuple[str, tuple[int, int], int] | None = None
    for m in _ST_RESULT.finditer(page.lowered, h.end, end):
        result = _ST_RESULT_KEY[term_key(m.group())]
        if result != "ignore" and (best is None or _ST_RANK[result] > _ST_RANK[best[0]]):
            best = (result, m.span(), end)
    return best


def stress_tests(page: FactPage) -> list[FieldValue]:
    """stress_test: abnormal|normal|equivocal where a cardiac stress test's result is written,
    or where a finding names it ("reversible perfusion defect")."""
    out = []
    covered = -1
    for h in page.of("stress_test"):
        if h.start < covered:
            continue  # a finding already read as the result of the test before it
        role = h.role("stress_test")
        assert role is not None
        found = (role.detail, (h.start, h.end), h.end) if role.detail else _stress_result(page, h)
        if found is None:
            continue  # "stress test ordered": no result written
        result, res_span, covered = found
        span = (min(h.start, res_span[0]), max(h.end, res_span[1]))
        a = assertion(page.pt, *res_span, target="stress_test")
        # "stress test without any ischemia": the result is negated, not the test.
        if (
            a == "negated"
            and result == "abnormal"
            and role.detail is None
            and assertion(page.pt, h.start, h.end, target="stress_test") != "negated"
        ):
            result, a = "normal", "present"
        out.append(fact_value(page, "stress_test", result, span, 0.85, {"test": role.value, "assertion": a}))
    return out
