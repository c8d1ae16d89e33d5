"""Assertion of a span: present, negated, historical or hypothetical.

A small ConText-style algorithm over the rules of data/context.yaml: cues found in the span's
sentence govern a bounded scope forward and/or backward (ended early by terminator words);
pseudo-cues ("no relief") mask the cue words they contain; the section the span sits in
supplies the default (Past Medical History -> historical).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.pagetext import PageText
from extractors.rules import CueRule, context_rules

_PRECEDENCE = ("negated", "hypothetical", "historical")


def _alternation(literals: list[str]) -> str:
    return "|".join(re.escape(x) for x in sorted(set(literals), key=len, reverse=True))


@dataclass(frozen=True)
class _Cues:
    by_literal: dict[str, CueRule]
    cue_re: re.Pattern[str]
    pseudo_re: re.Pattern[str]
    terminator_re: re.Pattern[str]


def _compile() -> _Cues:
    rules = context_rules()
    real = [c for c in rules.cues if c.category != "pseudo"]
    pseudo = [c.literal for c in rules.cues if c.category == "pseudo"]
    # Word boundaries that also work for literals such as "r/o" and "h/o".
    bound = r"(?<![A-Za-z0-9])(?:{})(?![A-Za-z0-9])"
    return _Cues(
        by_literal={c.literal.lower(): c for c in real},
        cue_re=re.compile(bound.format(_alternation([c.literal for c in real])), re.IGNORECASE),
        pseudo_re=re.compile(bound.format(_alternation(pseudo)), re.IGNORECASE),
        terminator_re=re.compile(bound.format(_alternation(rules.terminators)), re.IGNORECASE),
    )


_CUES = _compile()
_WORD = re.compile(r"\S+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def has_cue(phrase: str) -> bool:
    """Whether `phrase` carries a context cue of its own ("no signs of infection")."""
    return _CUES.cue_re.search(phrase) is not None


_HEADS_LIST = re.compile(r"[ \t]*:")


def cue_categories(pt: PageText, start: int, end: int, *, target: str, ignore_text: str = "") -> set[str]:
    """Categories of the cues whose scope covers text[start:end]."""
    s0, s1 = pt.sentence(start, end)
    sentence = pt.text[s0:s1]
    ignore = ignore_text.lower()
    masks = [(m.start() + s0, m.end() + s0) for m in _CUES.pseudo_re.finditer(sentence)]
    terminators = [m.start() + s0 for m in _CUES.terminator_re.finditer(sentence)]
    found: set[str] = set()
    for m in _CUES.cue_re.finditer(sentence):
        c0, c1 = m.start() + s0, m.end() + s0
        if c0 < end and c1 > start:  # the cue is part of the finding itself ("history of cancer")
            continue
        if any(a < c1 and b > c0 for a, b in masks):
            continue
        literal = m.group().lower()
        rule = _CUES.by_literal[literal]
        if rule.targets and target not in rule.targets:
            continue
        # A cue word the code's own description contains ("without complications") is text
        # describing the code, not context about it.
        if ignore and re.search(rf"(?<![a-z]){re.escape(literal)}(?![a-z])", ignore):
            continue
        if rule.direction in ("forward", "both") and c1 <= start:
            between = pt.text[c1:start]
            # "Denies: thunderclap onset, worst HA of life, ..., diplopia": a cue that heads a
            # list with a colon governs the whole list, however long.
            listed = _HEADS_LIST.match(pt.text, c1) is not None
            if (listed or _words(between) < rule.max_words) and not any(c1 <= t < start for t in terminators):
                found.add(rule.category)
        if rule.direction in ("backward", "both") and end <= c0:
            between = pt.text[end:c0]
            if _words(between) < rule.max_words and not any(end <= t < c0 for t in terminators):
                found.add(rule.category)
    return found


_CODED_TARGETS = frozenset({"icd10", "red_flag"})


# A form's option boxes: ticked ("[X]", "[x]", "☒", "☑") or not ("[ ]", "[_]", "☐", "□").
_BOX = re.compile(r"\[\s*[xX\u2713\u2714*/]?\s*\]|\[_+\]|[\u2610\u2611\u2612\u25a1\u25a0]")
_TICKED = re.compile(r"[xX\u2713\u2714*/\u2611\u2612\u25a0]")
# An unticked box and the option's words up to the next box or the line's end.
UNTICKED_OPTION = re.compile(r"(?:\[\s*\]|\[_+\]|[\u2610\u25a1])[^\[\u2610\u2611\u2612\u25a1\u25a0\n]*")


def unticked_option(pt: PageText, start: int) -> bool:
    """Whether the span is the label of a form option whose box is not ticked ("[ ]cauda
    equina [ ]infection [X]none"): the nearest box before it on its line decides."""
    line_start = pt.text.rfind("\n", 0, start) + 1
    boxes = list(_BOX.finditer(pt.text, max(line_start, start - 80), start))
    if not boxes:
        return False
    box = boxes[-1]
    # The option's label follows its box closely ("[ ] CT abd/pelvis WITH IV contrast (74177)");
    # a sentence after the box is not its label.
    between = pt.text[box.end() : start]
    if len(between) > 60 or re.search(r"[.;:]\s", between):
        return False
    return _TICKED.search(box.group()) is None


def assertion(
    pt: PageText,
    start: int,
    end: int,
    *,
    target: str,
    ignore_text: str = "",
    historical_is_present: bool = False,
) -> str:
    if unticked_option(pt, start):
        return "negated"
    found = cue_categories(pt, start, end, target=target, ignore_text=ignore_text)
    section = pt.section_at(start)
    # A bare "History:" heading is past history for a coded diagnosis, but a score or a finding
    # under it ("History: ... Epworth 15/24") is this visit's: only the named past-history
    # sections make those historical.
    bare_history = section is not None and section.name == "history" and target not in _CODED_TARGETS
    if section is not None and section.category == "historical" and not bare_history:
        found.add("historical")
    if historical_is_present:
        found.discard("historical")
    for category in _PRECEDENCE:
        if category in found:
            return category
    return "present"


def in_diagnosis_section(pt: PageText, offset: int) -> bool:
    section = pt.section_at(offset)
    return bool(section and section.diagnosis)
