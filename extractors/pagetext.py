"""Line, sentence and section structure of one page's text, computed once per page.

The field, code and fact extractors all ask the same questions of a span ("which line?",
"which sentence?", "which section?"); `PageText` answers them with precomputed offsets.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from extractors.evidence import WordIndex
from extractors.models import Page
from extractors.rules import SectionRule, context_rules


@dataclass(frozen=True)
class Line:
    index: int
    start: int
    end: int  # exclusive, before the newline
    text: str


@dataclass(frozen=True)
class Section:
    start: int
    name: str
    category: str  # present | historical
    diagnosis: bool


def _section_regex(rules: list[SectionRule]) -> tuple[re.Pattern[str], dict[str, SectionRule]]:
    by_name = {n.lower(): r for r in rules for n in r.names}
    names = sorted(by_name, key=len, reverse=True)
    alternation = "|".join(re.escape(n) for n in names)
    # A header: optional bullet/number (or a speck OCR read as "." or "'"), the name, then ":" /
    # " -" or the end of the line (after at most a few specks read as punctuation or digits); a
    # short parenthesis may follow the name ("Exam (L knee):").
    pattern = re.compile(
        # A SOAP letter with a slash ("O/ Ht 5'8\"") is a header too.
        rf"^[ \t]*(?:[-*\u2022]\s*|\d+[.)]\s*|[.,'`\u2018\u2019]{{1,2}}\s*)?({alternation})(?:[ \t]*\([^)\n]{{0,30}}\))?[ \t]*(?::|/(?=[ \t])|\s-\s|[ \t;,.|'`\d]{{0,6}}$)",
        re.IGNORECASE | re.MULTILINE,
    )
    return pattern, by_name


_SECTION_RE, _SECTION_BY_NAME = _section_regex(context_rules().sections)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Long names only: "plan" or "hpi" would match too much when fuzzy.
_FUZZY_SECTION_NAMES = [n for n in _SECTION_BY_NAME if len(n) >= 10]
_FUZZY_SECTION_CUTOFF = 90.0
# Sentence ends: punctuation before whitespace (not the dot inside M54.16 or 38.2), blank lines,
# and a newline before a bullet, a numbered item or a "Label:".
# Not the last dot of a leader ("Epworth Sleepiness Scale ........ 12 / 24").
_PUNCT_END = re.compile(r"(?<!\.\.)(?<!\. \.)[.!?;](?=\s)")
# A numbered item has its text on its line: "22." alone is the end of a wrapped sentence.
_NEWLINE_BREAK = re.compile(r"\n(?=[ \t]*(?:\n|[-*\u2022\u25aa\u00b7]|\d+[.)][ \t]+\S|[A-Z][A-Za-z0-9 /&'()#.-]{0,40}:))")
_SHORT_LINE = 45  # a line shorter than this is a list item or heading, not wrapped prose


class PageText:
    def __init__(self, page: Page, *, initial_section: Section | None = None) -> None:
        self.page = page
        self.words = WordIndex(page)
        self.text = page.text
        self.lines: list[Line] = []
        offset = 0
        for i, raw in enumerate(self.text.split("\n")):
            self.lines.append(Line(i, offset, offset + len(raw), raw))
            offset += len(raw) + 1
        self._line_starts = [ln.start for ln in self.lines]
        self._boundaries = self._sentence_boundaries()
        self.sections = self._find_sections(initial_section)
        self._section_starts = [s.start for s in self.sections]

    # -- lines ---------------------------------------------------------------------------
    def line_at(self, offset: int) -> Line:
        return self.lines[max(0, bisect.bisect_right(self._line_starts, offset) - 1)]

    # -- sentences -----------------------------------------------------------------------
    def _sentence_boundaries(self) -> list[int]:
        cuts = {0, len(self.text)}
        cuts.update(m.end() for m in _PUNCT_END.finditer(self.text))
        cuts.update(m.start() for m in _NEWLINE_BREAK.finditer(self.text))
        for ln, nxt in zip(self.lines, [*self.lines[1:], None], strict=True):
            stripped = ln.text.strip()
            # A short line goes on when the next starts in lower case ("PD-L1 combined positive
            # / score (CPS) 10."): a wrap, not a heading or a list item.
            wraps = nxt is not None and nxt.text.lstrip()[:1].islower() and not stripped.endswith(":")
            # A heading ends with a colon; a long line ending with one introduces what follows
            # ("Download reviewed today (period 11/21-12/20):" / "nights >= 4 h: 25 of 30").
            heading = stripped.endswith(":") and (len(stripped) < _SHORT_LINE or nxt is None or not nxt.text[:1].isspace())
            if (len(stripped) < _SHORT_LINE and not wraps) or heading:
                cuts.add(ln.end)
        return sorted(cuts)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The (start, end) of the sentence holding the span."""
        i = bisect.bisect_right(self._boundaries, start) - 1
        s = self._boundaries[max(i, 0)]
        j = bisect.bisect_left(self._boundaries, end)
        e = self._boundaries[min(j, len(self._boundaries) - 1)]
        return s, max(e, end)

    # -- sections ------------------------------------------------------------------------
    def _find_sections(self, initial: Section | None) -> list[Section]:
        found = [Section(0, initial.name, initial.category, initial.diagnosis)] if initial else []
        matches = list(_SECTION_RE.finditer(self.text))
        for k, m in enumerate(matches):
            rule = _SECTION_BY_NAME[m.group(1).lower()]
            found.append(Section(m.start(1), m.group(1).lower(), rule.category, rule.diagnosis))
            # A past history written on its header's line ("PMH: COPD; HTN") ends at the next
            # blank line, unless another header comes first: what follows the blank line
            # ("Epworth Sleepiness Scale: 14/24") is this visit's.
            line_end = self.text.find("\n", m.end())
            inline = self.text[m.end() : line_end if line_end >= 0 else len(self.text)].strip()
            blank = _BLANK_LINE.search(self.text, m.end()) if rule.category == "historical" and inline else None
            following = matches[k + 1].start(1) if k + 1 < len(matches) else len(self.text)
            if blank is not None and blank.end() < following:
                found.append(Section(blank.end(), "", "present", False))
        if self.page.method == "ocr":
            starts = {sec.start for sec in found}
            found.extend(sec for sec in self._garbled_headers() if sec.start not in starts)
            found.sort(key=lambda sec: sec.start)
        return found

    def _garbled_headers(self) -> list[Section]:
        """OCR-damaged header lines ("Past Medica! History"): a short line alone that is
        nearly a long section name."""
        out = []
        for line in self.lines:
            text = line.text.strip(" \t:.-")
            if not 8 <= len(text) <= 40 or len(text.split()) > 5:
                continue
            best = process.extractOne(text.lower(), _FUZZY_SECTION_NAMES, scorer=fuzz.ratio, score_cutoff=_FUZZY_SECTION_CUTOFF)
            if best is not None:
                rule = _SECTION_BY_NAME[best[0]]
                start = line.start + line.text.index(text[0])
                out.append(Section(start, best[0], rule.category, rule.diagnosis))
        return out

    def section_at(self, offset: int) -> Section | None:
        i = bisect.bisect_right(self._section_starts, offset) - 1
        return self.sections[i] if i >= 0 else None

    @property
    def last_section(self) -> Section | None:
        return self.sections[-1] if self.sections else None
