"""Find the terms of a lexicon in a page in one pass: a small phrase matcher over regexes.

A term is a phrase such as "epidural [steroid] injection[s]" (syntax in data/facts.yaml). All
terms of a lexicon are compiled into one prefix-tree regular expression, matched against the
lower-cased page: Python's `re` tries alternatives one by one, so a flat alternation of 700
terms costs ~0.4 ms per page, the prefix tree ~0.03 ms (at most one branch per character
survives). Abbreviations that must keep their case ("PT", "EF", "EGFR") get a second, small
tree over the original text, and the few names that need a regular expression a third pass.

spaCy's PhraseMatcher does the same job, but its tokenizer alone costs ~1.4 ms per page here
(see the report of issue 4); this module keeps the whole fact pass under that.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

_ALT = re.compile(r"\{([^{}\[\]]*)\}|\[([^{}\[\]]*)\]")
# Whitespace, and hyphens between letters or digits, do not tell two spellings apart.
_KEY_DROP = re.compile(r"\s+|(?<=[A-Za-z0-9])-+(?=[A-Za-z0-9])")
_WORD_CHAR = re.compile(r"[A-Za-z0-9]")
_CACHE_LIMIT = 20_000  # spellings remembered per matcher (whitespace variants are unbounded)
_MAX_EXPANSIONS = 2000  # one term may stand for this many phrases; more is a typo in the data


class TermSyntaxError(ValueError):
    pass


def expand(term: str) -> list[str]:
    """The phrases a term stands for: {a|b} picks one, [a|b] picks one or none."""
    parts: list[list[str]] = []
    pos = 0
    for m in _ALT.finditer(term):
        parts.append([term[pos : m.start()]])
        if m.group(1) is not None:
            parts.append(m.group(1).split("|"))
        else:
            parts.append(["", *m.group(2).split("|")])
        pos = m.end()
    parts.append([term[pos:]])
    if any(ch in _ALT.sub("", term) for ch in "{}[]"):
        raise TermSyntaxError(f"unbalanced or nested {{}} / [] in term {term!r}")
    count = 1
    for p in parts:
        count *= len(p)
    if count > _MAX_EXPANSIONS:
        raise TermSyntaxError(f"term {term!r} expands to {count} phrases")
    return [" ".join("".join(combo).split()) for combo in itertools.product(*parts)]


def term_key(text: str, *, case_sensitive: bool = False) -> str:
    """The look-up key of a phrase or of matched text: whitespace and inner hyphens dropped."""
    key = _KEY_DROP.sub("", text)
    return key if case_sensitive else key.lower()


# A phrase is a sequence of atoms: a space is any whitespace (optional next to punctuation), a
# hyphen between two letters or digits an optional hyphen or whitespace, anything else itself.
_WS_REQUIRED, _WS_OPTIONAL, _HYPHEN = r"\s+", r"\s*", r"[-\s]?"


def _atoms(phrase: str) -> tuple[str, ...]:
    out: list[str] = []
    for i, ch in enumerate(phrase):
        between_words = bool(_WORD_CHAR.match(phrase[i - 1 : i])) and bool(_WORD_CHAR.match(phrase[i + 1 : i + 2]))
        if ch == " ":
            out.append(_WS_REQUIRED if between_words else _WS_OPTIONAL)
        elif ch == "-" and between_words:
            out.append(_HYPHEN)
        else:
            out.append(re.escape(ch))
    return tuple(out)


def _tree_regex(phrases: Iterable[str]) -> str:
    """One regex matching any of the phrases, longest first at a position, as a prefix tree."""
    root: dict = {}
    for phrase in phrases:
        node = root
        for atom in _atoms(phrase):
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [atom + emit(child) for atom, child in sorted(node.items()) if atom]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # greedy: the longer phrase wins, the shorter one is the fallback
            return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
        return body

    return emit(root)


def phrase_regex(phrases: Iterable[str]) -> str:
    """A regex for phrases (term syntax), on word boundaries where a phrase starts or ends with
    a letter or digit, to be matched on lower-cased text."""
    expanded = [p.lower() for t in phrases for p in expand(t)]
    words = [p for p in expanded if _WORD_CHAR.match(p[:1])]
    marks = [p for p in expanded if not _WORD_CHAR.match(p[:1])]
    alts = []
    if words:
        alts.append(r"(?<![a-z0-9])" + _tree_regex(words))
    if marks:
        alts.append(_tree_regex(marks))
    return "(?:" + "|".join(alts) + r")(?![a-z0-9])" if alts else r"(?!x)x"


@dataclass(frozen=True)
class Role:
    """What a matched term means: kind (therapy, drug, red_flag, measure, ...), value, detail."""

    kind: str
    value: str
    detail: str | None = None


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    roles: tuple[Role, ...]

    def has(self, kind: str) -> bool:
        return any(r.kind == kind for r in self.roles)

    def role(self, kind: str) -> Role | None:
        return next((r for r in self.roles if r.kind == kind), None)

    def value(self, kind: str) -> str:
        """The value of this hit's role of that kind (the hit must have one)."""
        role = self.role(kind)
        if role is None:
            raise KeyError(kind)
        return role.value


@dataclass
class Lexicon:
    """Terms and patterns with their roles, collected from a rule file before compiling."""

    terms: dict[str, list[Role]]
    case_sensitive_terms: dict[str, list[Role]]
    patterns: list[tuple[str, bool, Role]]

    @classmethod
    def empty(cls) -> Lexicon:
        return cls({}, {}, [])

    def add(
        self,
        role: Role,
        terms: Sequence[str] = (),
        case_sensitive_terms: Sequence[str] = (),
        patterns: Sequence[str] = (),
        case_sensitive_patterns: Sequence[str] = (),
    ) -> None:
        for t in terms:
            for phrase in expand(t):
                self._put(self.terms, phrase.lower(), role)
        for t in case_sensitive_terms:
            for phrase in expand(t):
                self._put(self.case_sensitive_terms, phrase, role)
        self.patterns += [(p, False, role) for p in patterns] + [(p, True, role) for p in case_sensitive_patterns]

    @staticmethod
    def _put(table: dict[str, list[Role]], phrase: str, role: Role) -> None:
        roles = table.setdefault(phrase, [])
        if role not in roles:
            roles.append(role)

    def compile(self) -> TermMatcher:
        return TermMatcher(self)


class TermMatcher:
    """All hits of a lexicon in a text; a hit nested in a longer hit of the same kind is
    dropped ("prostate cancer" inside "history of prostate cancer", "TB" in "QuantiFERON-TB")."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._roles = {term_key(p): tuple(r) for p, r in lexicon.terms.items()}
        self._cs_roles = {term_key(p, case_sensitive=True): tuple(r) for p, r in lexicon.case_sensitive_terms.items()}
        self._lower_re = re.compile(r"(?<![a-z0-9])" + _tree_regex(lexicon.terms) + r"(?![a-z0-9])") if lexicon.terms else None
        self._cs_re = (
            re.compile(r"(?<![A-Za-z0-9])" + _tree_regex(lexicon.case_sensitive_terms) + r"(?![A-Za-z0-9])")
            if lexicon.case_sensitive_terms
            else None
        )
        # Patterns in one alternation per case mode; the group name tells which one matched.
        # Case-insensitive patterns run on the lower-cased text, as the tree does.
        self._pattern_roles = {f"p{i}": (r,) for i, (_p, _cs, r) in enumerate(lexicon.patterns)}
        lower = [(i, p) for i, (p, cs, _r) in enumerate(lexicon.patterns) if not cs]
        self._pattern_re = _union(lower)
        self._cs_pattern_re = _union([(i, p) for i, (p, cs, _r) in enumerate(lexicon.patterns) if cs])
        # Matched text -> roles, so that each spelling is normalised once per process (bounded
        # by the lexicon: only text the trees matched is stored).
        self._seen: dict[str, tuple[Role, ...]] = {}
        self._seen_cs: dict[str, tuple[Role, ...]] = {}

    @cached_property
    def _ci_re(self) -> re.Pattern[str] | None:
        # The tree with IGNORECASE, for the rare page whose lower-casing changes its length;
        # compiled on first need (compiling the tree is most of this module's start-up time).
        return re.compile(self._lower_re.pattern, re.IGNORECASE) if self._lower_re else None

    @cached_property
    def _pattern_ci_re(self) -> re.Pattern[str] | None:
        return re.compile(self._pattern_re.pattern, re.IGNORECASE) if self._pattern_re else None

    def _roles_of(self, matched: str, case_sensitive: bool) -> tuple[Role, ...]:
        cache = self._seen_cs if case_sensitive else self._seen
        roles = cache.get(matched)
        if roles is None:
            table = self._cs_roles if case_sensitive else self._roles
            roles = table[term_key(matched, case_sensitive=case_sensitive)]
            if len(cache) < _CACHE_LIMIT:
                cache[matched] = roles
        return roles

    def find(self, text: str, lowered: str | None = None) -> list[Hit]:
        # Case-insensitive passes run on the lower-cased text, unless lower-casing changed its
        # length (a rare character such as "İ"): then IGNORECASE on the text itself.
        plain = lowered is not None and len(lowered) == len(text)
        source = lowered if plain else text
        hits: list[Hit] = []
        tree = self._lower_re if plain else self._ci_re
        if tree is not None:
            hits += [Hit(m.start(), m.end(), self._roles_of(m.group(), False)) for m in tree.finditer(source)]  # type: ignore[arg-type]
        if self._cs_re is not None:
            hits += [Hit(m.start(), m.end(), self._roles_of(m.group(), True)) for m in self._cs_re.finditer(text)]
        for rx, target in ((self._pattern_re if plain else self._pattern_ci_re, source), (self._cs_pattern_re, text)):
            if rx is not None:
                hits += [Hit(m.start(), m.end(), self._pattern_roles[m.lastgroup or ""]) for m in rx.finditer(target)]  # type: ignore[arg-type]
        return _drop_nested(hits)


def _union(numbered: list[tuple[int, str]], flags: int = 0) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?P<p{i}>{p})" for i, p in numbered), flags) if numbered else None


IGNORE = "ignore"  # the kind of names that look like a term but are not ("PT/INR" is a lab)


def _drop_nested(hits: list[Hit]) -> list[Hit]:
    """Hits in text order, without those nested in a longer hit of the same kind or in an
    ignored name."""
    hits.sort(key=lambda h: (h.start, -h.end))
    out: list[Hit] = []
    for h in hits:
        kinds = {r.kind for r in h.roles}
        for o in out[-8:]:
            outer = {r.kind for r in o.roles}
            if o.start <= h.start and h.end <= o.end and (kinds & outer or IGNORE in outer):
                break
        else:
            out.append(h)
    return [h for h in out if not h.has(IGNORE)]


def simple_matcher(words: Iterable[str], kind: str) -> TermMatcher:
    """A matcher whose every hit has the one role (kind, matched word)."""
    lex = Lexicon.empty()
    for w in words:
        lex.add(Role(kind, w), terms=[w])
    return lex.compile()


def result_table(results: Mapping[str, Sequence[str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    """A regex for the result phrases of a table {result: phrases} (on lower-cased text) and the
    map from a matched phrase's key to its result."""
    by_key = {term_key(p): result for result, phrases in results.items() for t in phrases for p in expand(t.lower())}
    return re.compile(phrase_regex([t for phrases in results.values() for t in phrases])), by_key
