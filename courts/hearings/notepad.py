"""The resulting notepad: one typed line against an offence becomes judicial results with prompt values.

A legal adviser types ``FO 200 FCPC 85 FVS`` and gets a Fine (Amount of fine 200.00), Costs to the
Crown Prosecution Service (Amount of costs 85.00) and a Surcharge (its amount left missing: the
service computes it). The vocabulary is Common Platform's result definitions (short codes, word
groups and prompts); parsing is pure Python over indexes built once per ``Vocabulary`` and never
touches the database.

Grammar (case-insensitive; tokens split on whitespace; a double-quoted string is one token; commas
between items are ignored, ``1,200`` is a number):

- A result starts at its short code (``FO``, ``imp``) or at one of its word groups written in order
  (``fine only``, ``remand custody``); small joining words between the words of a word group are
  passed over (``remand in custody``), since Common Platform's word groups leave them out. The
  longest match wins, so ``ctl extended`` is CTLE, not CTL followed by an unknown word. A short code is never read as an ordinary word: ``A`` is always
  Adjournment and ``PLEA`` the adjournment reason. Words that only begin word groups
  (``adjournment`` alone) and words matching word groups of several results are problems listing
  the candidates; nothing is guessed.
- Values after a result fill its prompts in sequence order among the prompts that take them:
  a number (``200``, ``£85``, ``85.50``, ``1,200``) the first amount (CURR) prompt, else the first
  whole-number (INT) prompt that is not a period; a period (``6m``, ``6 months``, ``12w``, ``2y``,
  ``14d``, ``3h``, ``30min``) the first period prompt allowing that unit; a date (``3/12``,
  ``03/12/2026``, ``2026-12-03``; day/month alone is the next such date on or after the hearing
  date) the first DATE prompt; a time (``10:00``, ``10am``, ``2.30pm``) the first TIME prompt;
  a quoted string the first text or list (TXT/FIXL/FIXLM) prompt. Hidden prompts are filled only by
  name. Numbers and periods are checked against the published min and max (a published max of 1 on
  a period is not a limit, see ``_check_range``); a period is at least 1.
- ``key=value`` or ``key="two words"`` fills the prompt of the current result whose reference is
  ``key`` (``aof=200``, ``hdate=3/12``) or whose label has words starting with the parts of ``key``
  (``prison="HMP Leeds"``, ``remand-basis="…"``); the key must pick out one prompt. Yes/no prompts
  take ``y``/``n``/``yes``/``no`` only this way, or by the prompt's own word from the definition
  (``imp 6m concurrent``).
- Plea, indicated plea, verdict and allocation: ``plea=G|NG|none``, ``ind=G|NG|none``,
  ``verdict=G|NG``, ``alloc=summary|crown|elect``, and the phrases ``pleads guilty``,
  ``pleaded guilty``, ``pleads not guilty``, ``pleaded not guilty``, ``found guilty`` and
  ``found not guilty``. A phrase is read from its first word, so ``found not guilty`` is a verdict
  and never the result NGJ (word group ``not guilty``). These end the current result: values after
  them need a result of their own. Giving one twice with different values is a problem.
- A numeric short code (Common Platform has one: ``3101``) after a result is a problem, since it
  could be either a value or that result; before any result it is the result.
"""

from __future__ import annotations

import datetime
import difflib
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

# --------------------------------------------------------------------------------------------------
# The interface


@dataclass(frozen=True)
class PromptSpec:
    """One logical prompt of a definition; the per-unit entries of a duration prompt are merged."""

    id: str
    label: str
    type: str  # TXT INT DATE BOOLEAN FIXL CURR TIME FIXLM NAMEADDRESS (published "Date" is DATE)
    reference: str
    mandatory: bool
    sequence: int
    durations: tuple[str, ...]  # ("Years", "Months", "Weeks", "Days") for a duration INT, else ()
    minimum: str  # as published, "" if absent
    maximum: str


@dataclass(frozen=True)
class PromptValue:
    prompt_id: str
    label: str
    reference: str
    type: str
    value: str  # canonical, see prompt_value_parse


@dataclass
class ParsedResult:
    definition_id: str
    short_code: str
    label: str
    level: str
    category: str
    prompts: list[PromptValue]
    missing: list[PromptSpec]  # mandatory prompts still without a value, in sequence order
    text: str  # the words of the line that produced this result


@dataclass(frozen=True)
class Candidate:
    short_code: str
    label: str


@dataclass(frozen=True)
class NotepadProblem:
    start: int  # character offsets in the line of the offending text
    end: int
    text: str
    message: str  # a full sentence for a legal adviser
    candidates: tuple[Candidate, ...] = ()


@dataclass
class ParsedLine:
    results: list[ParsedResult]
    plea: str | None = None  # GUILTY | NOT_GUILTY | NO_PLEA
    indicated_plea: str | None = None  # INDICATED_GUILTY | INDICATED_NOT_GUILTY | NO_INDICATION
    verdict: str | None = None  # GUILTY | NOT_GUILTY
    allocation: str | None = None  # SUMMARY_TRIAL | SENT_CROWN | ELECTED_CROWN
    problems: list[NotepadProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------------------------------
# Words and values

_UNIT_ORDER = ("Years", "Months", "Weeks", "Days", "Hours", "Minutes")
_UNIT_WORDS = {
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "Years"),
    **dict.fromkeys(("m", "mth", "mths", "month", "months"), "Months"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "Weeks"),
    **dict.fromkeys(("d", "day", "days"), "Days"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "Hours"),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), "Minutes"),
}
_UNIT_PATTERN = "|".join(sorted(_UNIT_WORDS, key=len, reverse=True))
_DURATION_RE = re.compile(rf"(\d+)\s*({_UNIT_PATTERN})", re.IGNORECASE)
_NUMBER_RE = re.compile(r"(£)?(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)")
_DMY_RE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME_24_RE = re.compile(r"(\d{1,2}):(\d{2})")
_TIME_12_RE = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)", re.IGNORECASE)
_YES = {"y", "yes", "true"}
_NO = {"n", "no", "false"}
_TYPE_NAMES = {
    "CURR": "an amount of money",
    "INT": "a whole number",
    "DATE": "a date",
    "TIME": "a time",
    "BOOLEAN": "yes or no",
    "TXT": "text in quotes",
    "FIXL": "a choice in quotes",
    "FIXLM": "choices in quotes",
    "NAMEADDRESS": "a name or address",
}
_TEXT_TYPES = ("TXT", "FIXL", "FIXLM")
_INTEGER_MIN_MAX = re.compile(r"-?\d+")


def _norm(word: str) -> str:
    """A word as matched: lower case, without the full stops and apostrophes around it."""
    return word.lower().strip(".'’:;")


def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in (_norm(p) for p in text.replace(",", " ").split()) if w)


def _quoted(text: str) -> str:
    return f"“{text}”"


def _display(definition: dict) -> str:
    return f"{definition.get('label', '')} ({definition.get('shortCode', '')})"


def _spec_describe(spec: PromptSpec) -> str:
    if spec.durations:
        return "a period in " + ", ".join(u.lower() for u in spec.durations)
    return _TYPE_NAMES.get(spec.type, "a value")


def _int_bound(value: str) -> int | None:
    return int(value) if value and _INTEGER_MIN_MAX.fullmatch(value) else None


def _check_range(spec: PromptSpec, number: Decimal, shown: str) -> None:
    low, high = _int_bound(spec.minimum), _int_bound(spec.maximum)
    if spec.durations and high == 1:
        # Common Platform publishes max 1 on some curfew and exclusion periods that run for months;
        # it cannot be a limit on the number, so only the minimum is enforced for those.
        high = None
    if spec.durations and low is None:
        low = 1  # a period of nothing is never a sentence or an order

    def bound(value: int) -> str:
        return f"£{value:,.2f}" if spec.type == "CURR" else str(value)

    if low is not None and number < low:
        raise ValueError(f"{_quoted(spec.label)} must be at least {bound(low)}; {shown} is too small.")
    if high is not None and number > high:
        raise ValueError(f"{_quoted(spec.label)} must be at most {bound(high)}; {shown} is too large.")


def _date_parse(text: str, hearing_date: datetime.date) -> datetime.date:
    text = text.strip()
    if m := _ISO_DATE_RE.fullmatch(text):
        year, month, day = (int(g) for g in m.groups())
        return datetime.date(year, month, day)
    if m := _DMY_RE.fullmatch(text):
        day, month = int(m.group(1)), int(m.group(2))
        if m.group(3):
            year = int(m.group(3))
            return datetime.date(year + 2000 if year < 100 else year, month, day)
        datetime.date(2000, month, day)  # a real day of the year (2000 is a leap year)
        for year in range(hearing_date.year, hearing_date.year + 9):
            try:
                candidate = datetime.date(year, month, day)
            except ValueError:  # 29/02 outside a leap year
                continue
            if candidate >= hearing_date:
                return candidate
    raise ValueError(text)


def _time_parse(text: str) -> datetime.time:
    text = text.strip()
    if m := _TIME_24_RE.fullmatch(text):
        return datetime.time(int(m.group(1)), int(m.group(2)))
    if m := _TIME_12_RE.fullmatch(text):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if m.group(3).lower() == "pm" else 0)
        return datetime.time(hour, minute)
    raise ValueError(text)


def prompt_value_parse(spec: PromptSpec, text: str, *, hearing_date: datetime.date) -> str:
    """The canonical value of ``text`` for ``spec``; ValueError with a sentence for the user if it does not fit.

    CURR "200.00"; INT "6"; duration "6 Months"; DATE "2026-12-03"; TIME "10:00"; BOOLEAN
    "true"/"false"; text and list prompts as typed without the quotes.
    """
    raw = text.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1].strip()
    label = _quoted(spec.label)
    if not raw:
        raise ValueError(f"{label} needs a value.")
    shown = _quoted(raw)
    if spec.durations:
        count_text, unit = raw, None
        if m := _DURATION_RE.fullmatch(raw):
            count_text, unit = m.group(1), _UNIT_WORDS[m.group(2).lower()]
        elif not re.fullmatch(r"\d+", raw):
            raise ValueError(f"{label} is a period such as 6m or 6 months; {shown} is not.")
        elif len(spec.durations) == 1:
            unit = spec.durations[0]
        else:
            units = ", ".join(u.lower() for u in spec.durations)
            raise ValueError(
                f"{label} needs a unit ({units}), for example {raw}{spec.durations[0][0].lower()}."
            )
        if unit not in spec.durations:
            units = ", ".join(u.lower() for u in spec.durations)
            raise ValueError(f"{label} is given in {units}, not {unit.lower()}.")
        count = int(count_text)
        _check_range(spec, Decimal(count), shown)
        return f"{count} {unit}"
    if spec.type == "CURR":
        m = _NUMBER_RE.fullmatch(raw)
        if not m:
            raise ValueError(f"{label} is an amount of money such as 200 or 85.50; {shown} is not.")
        amount = Decimal(m.group(2).replace(",", ""))
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError(f"{label} has at most two decimal places (pence); {shown} has more.")
        _check_range(spec, amount, shown)
        return f"{amount:.2f}"
    if spec.type == "INT":
        if not re.fullmatch(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)", raw):
            raise ValueError(f"{label} is a whole number; {shown} is not.")
        number = int(raw.replace(",", ""))
        _check_range(spec, Decimal(number), shown)
        return str(number)
    if spec.type == "DATE":
        try:
            return _date_parse(raw, hearing_date).isoformat()
        except ValueError:
            raise ValueError(
                f"{label} is a date such as 3/12, 03/12/2026 or 2026-12-03; {shown} is not a date."
            ) from None
    if spec.type == "TIME":
        try:
            return _time_parse(raw).strftime("%H:%M")
        except ValueError:
            raise ValueError(f"{label} is a time such as 10:00, 10am or 2.30pm; {shown} is not.") from None
    if spec.type == "BOOLEAN":
        if raw.lower() in _YES:
            return "true"
        if raw.lower() in _NO:
            return "false"
        raise ValueError(f"{label} is yes or no (y or n); {shown} is neither.")
    return raw


# --------------------------------------------------------------------------------------------------
# The vocabulary


def _prompt_specs_of(definition: dict) -> tuple[list[PromptSpec], dict[tuple[str, ...], int], frozenset[int]]:
    """Logical prompts in sequence order, the words that name a prompt (index into the list) and the
    hidden prompts (indexes), which only key=value fills.

    Entries sharing an id and a label are one prompt: the per-unit entries of a duration, and
    prompts published twice in two prompt groups (CONFAA, EV, YREA1, TIMP). Entries sharing an id
    with different labels stay apart: they are the parts of a name and address (SDO).
    """
    merged: dict[tuple[str, str], dict] = {}
    for index, p in enumerate(definition.get("prompts") or []):
        label = " ".join(str(p.get("label", "")).split())
        entry = merged.setdefault(
            (str(p.get("id", "")), label),
            {
                "p": p,
                "label": label,
                "index": index,
                "units": [],
                "mandatory": False,
                "seq": None,
                "words": [],
                "hidden": True,
            },
        )
        if p.get("duration") and p["duration"] not in entry["units"]:
            entry["units"].append(p["duration"])
        entry["mandatory"] |= p.get("resultPromptRule") == "mandatory"
        entry["hidden"] &= bool(p.get("hidden"))
        seq = p.get("sequence")
        if isinstance(seq, int) and (entry["seq"] is None or seq < entry["seq"]):
            entry["seq"] = seq
        if p.get("wordGroup") and not p.get("duration"):
            entry["words"].append(_words(" ".join(p["wordGroup"])))
    ordered = sorted(merged.values(), key=lambda e: (e["seq"] if e["seq"] is not None else 10**9, e["index"]))
    specs: list[PromptSpec] = []
    words: dict[tuple[str, ...], int] = {}
    hidden: set[int] = set()
    for e in ordered:
        p = e["p"]
        units = tuple(sorted(e["units"], key=lambda u: _UNIT_ORDER.index(u) if u in _UNIT_ORDER else 99))
        ptype = str(p.get("type", "")).upper()
        specs.append(
            PromptSpec(
                id=str(p.get("id", "")),
                label=e["label"],
                type=ptype,
                reference=str(p.get("reference") or ""),
                mandatory=e["mandatory"],
                sequence=e["seq"] if e["seq"] is not None else 0,
                durations=units,
                minimum="" if p.get("min") is None else str(p["min"]),
                maximum="" if p.get("max") is None else str(p["max"]),
            )
        )
        for w in e["words"]:
            if w:
                words.setdefault(w, len(specs) - 1)
        if e["hidden"]:
            hidden.add(len(specs) - 1)
    return specs, words, frozenset(hidden)


class Vocabulary:
    """Result definitions indexed for the notepad: short codes, word groups, prompts, suggestions."""

    def __init__(self) -> None:
        self._by_code: dict[str, dict] = {}
        self._specs: dict[str, list[PromptSpec]] = {}
        self._prompt_words: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        self._hidden: dict[str, frozenset[int]] = {}
        self._groups: dict[tuple[str, ...], list[str]] = {}
        self._groups_by_first: dict[str, list[tuple[tuple[str, ...], list[str]]]] = {}
        # Searched by suggestions: short code, word group, label and word-group word -> codes.
        self._codes: dict[str, list[str]] = {}
        self._phrases: dict[str, list[str]] = {}
        self._labels: dict[str, list[str]] = {}
        self._group_words: dict[str, list[str]] = {}
        self._codes_sorted: list[str] = []

    @classmethod
    def from_definitions(cls, definitions: Iterable[dict]) -> Vocabulary:
        vocab = cls()
        for d in definitions:
            code = str(d.get("shortCode") or "").lower()
            if not code or code in vocab._by_code:
                continue  # short codes are unique in the published data; the first one stands
            vocab._by_code[code] = d
            specs, prompt_words, hidden = _prompt_specs_of(d)
            vocab._specs[code], vocab._hidden[code] = specs, hidden
            vocab._prompt_words[code] = sorted(prompt_words.items(), key=lambda e: -len(e[0]))
            for g in d.get("wordGroups") or []:
                words = _words(" ".join(str(w) for w in g.get("wordGroup") or []))
                if words and code not in vocab._groups.setdefault(words, []):
                    vocab._groups[words].append(code)
            vocab._codes[code] = [code]
            vocab._labels.setdefault(" ".join(str(d.get("label", "")).lower().split()), []).append(code)
        for words, codes in vocab._groups.items():
            vocab._groups_by_first.setdefault(words[0], []).append((words, codes))
            vocab._phrases[" ".join(words)] = codes
            for word in words:
                with_word = vocab._group_words.setdefault(word, [])
                with_word.extend(c for c in codes if c not in with_word)
        for entries in vocab._groups_by_first.values():
            entries.sort(key=lambda e: -len(e[0]))
        vocab._codes_sorted = sorted(vocab._by_code, key=vocab._rank)
        return vocab

    def _rank(self, code: str) -> tuple[int, str]:
        rank = self._by_code[code].get("rank")
        return (rank if isinstance(rank, int) else 10**9, code)

    def __len__(self) -> int:
        return len(self._by_code)

    def definition(self, short_code: str) -> dict | None:
        return self._by_code.get(short_code.lower())

    def prompt_specs(self, short_code: str) -> list[PromptSpec]:
        try:
            return list(self._specs[short_code.lower()])
        except KeyError:
            raise KeyError(f"No result definition has the short code {short_code!r}.") from None

    def candidate(self, code: str) -> Candidate:
        d = self._by_code[code.lower()]
        return Candidate(short_code=d["shortCode"], label=d.get("label", ""))

    def suggestions(self, text: str, limit: int = 5) -> list[Candidate]:
        """Results for an unknown word or an autocomplete prefix, best first: the exact short code or
        word group; short codes starting with the text; results with the text as a word of a word
        group; short codes spelt like it; word groups and labels starting with the text, then spelt
        like it; results with a word spelt like it."""
        query = " ".join(_words(text))
        if not query or limit <= 0:
            return []
        found: list[str] = []

        def add(codes: Iterable[str]) -> bool:
            for c in sorted(codes, key=self._rank):
                if c not in found:
                    found.append(c)
            return len(found) >= limit

        def starting(keys: dict[str, list[str]]) -> list[list[str]]:
            hits = [
                (len(key), self._rank(codes[0]), codes)
                for key, codes in keys.items()
                if key.startswith(query)
            ]
            return [codes for _, _, codes in sorted(hits, key=lambda e: (e[0], e[1]))]

        def close(keys: dict[str, list[str]], cutoff: float) -> list[list[str]]:
            hits = difflib.get_close_matches(query, keys, n=limit * 3, cutoff=cutoff)
            scored = sorted(
                hits, key=lambda key: (-difflib.SequenceMatcher(None, query, key).ratio(), len(key))
            )
            return [keys[key] for key in scored]

        single = " " not in query
        tiers: list[list[list[str]]] = [
            [self._codes.get(query, []), self._phrases.get(query, [])],
            starting(self._codes),
            [self._group_words.get(query, [])],
            close(self._codes, 0.6) if single else [],
            starting(self._phrases),
            starting(self._labels),
            close({**self._labels, **self._phrases}, 0.6),
            close(self._group_words, 0.75) if single else [],
        ]
        for tier in tiers:
            for codes in tier:
                if add(codes):
                    return [self.candidate(c) for c in found[:limit]]
        return [self.candidate(c) for c in found[:limit]]


_CACHE_SECONDS = 300.0
_cache_lock = threading.Lock()
_cache: tuple[float, Vocabulary] | None = None


def vocabulary() -> Vocabulary:
    """The vocabulary of the ResultDefinition rows, cached per process for five minutes."""
    global _cache
    with _cache_lock:
        if _cache is not None and time.monotonic() - _cache[0] < _CACHE_SECONDS:
            return _cache[1]
    from courts.reference.models import ResultDefinition

    definitions = []
    for row in ResultDefinition.objects.order_by("short_code").values(
        "id",
        "short_code",
        "label",
        "level",
        "category",
        "cjs_code",
        "rank",
        "prompts",
        "word_groups",
        "definition",
    ):
        d = row["definition"] or {
            "id": str(row["id"]),
            "shortCode": row["short_code"],
            "label": row["label"],
            "level": row["level"],
            "category": row["category"],
            "cjsCode": row["cjs_code"],
            "rank": row["rank"],
            "prompts": row["prompts"],
            "wordGroups": [{"wordGroup": g} for g in row["word_groups"]],
        }
        definitions.append(d)
    vocab = Vocabulary.from_definitions(definitions)
    with _cache_lock:
        _cache = (time.monotonic(), vocab)
    return vocab


def vocabulary_changed() -> None:
    """Forget the cached vocabulary (call after result definitions are loaded or changed)."""
    global _cache
    with _cache_lock:
        _cache = None


# --------------------------------------------------------------------------------------------------
# Tokens


@dataclass(frozen=True)
class _Token:
    text: str  # as typed; for a quoted token, without the quotes
    start: int
    end: int
    quoted: bool = False
    key: str | None = None  # key=value
    value: str = ""

    @property
    def plain(self) -> bool:
        return not self.quoted and self.key is None

    @property
    def word(self) -> str:
        return _norm(self.text)


def _thousands_comma(line: str, i: int) -> bool:
    return (
        i > 0
        and line[i - 1].isdigit()
        and line[i + 1 : i + 4].isdigit()
        and len(line[i + 1 : i + 4]) == 3
        and (i + 4 >= len(line) or not line[i + 4].isdigit())
    )


def _tokenize(line: str) -> tuple[list[_Token], list[NotepadProblem]]:
    tokens: list[_Token] = []
    problems: list[NotepadProblem] = []
    n, i = len(line), 0

    def closing(quote_at: int) -> int:
        end = line.find('"', quote_at + 1)
        if end < 0:
            problems.append(
                NotepadProblem(
                    quote_at,
                    n,
                    line[quote_at:],
                    "The quotation mark here is never closed; end the text with another quotation mark.",
                )
            )
            return n
        return end

    while i < n:
        c = line[i]
        if c.isspace() or c == ",":
            i += 1
            continue
        if c == '"':
            end = closing(i)
            tokens.append(_Token(line[i + 1 : end].strip(), i, min(end + 1, n), quoted=True))
            i = end + 1
            continue
        j = i
        while (
            j < n
            and not line[j].isspace()
            and line[j] != '"'
            and (line[j] != "," or _thousands_comma(line, j))
        ):
            j += 1
        word = line[i:j]
        key, eq, value = word.partition("=")
        if eq and key:
            if j < n and line[j] == '"' and not value:
                end = closing(j)
                tokens.append(
                    _Token(
                        line[i : min(end + 1, n)],
                        i,
                        min(end + 1, n),
                        key=key,
                        value=line[j + 1 : end].strip(),
                    )
                )
                i = end + 1
                continue
            tokens.append(_Token(word, i, j, key=key, value=value))
        else:
            tokens.append(_Token(word, i, j))
        i = j
    return tokens, problems


# --------------------------------------------------------------------------------------------------
# Parsing

_DECISION_KEYS = {
    "plea": "plea",
    "ind": "indicated_plea",
    "indicated": "indicated_plea",
    "verdict": "verdict",
    "alloc": "allocation",
    "allocation": "allocation",
}
_DECISION_VALUES = {
    "plea": {
        "g": "GUILTY",
        "guilty": "GUILTY",
        "ng": "NOT_GUILTY",
        "not-guilty": "NOT_GUILTY",
        "not_guilty": "NOT_GUILTY",
        "none": "NO_PLEA",
        "no-plea": "NO_PLEA",
    },
    "indicated_plea": {
        "g": "INDICATED_GUILTY",
        "guilty": "INDICATED_GUILTY",
        "ng": "INDICATED_NOT_GUILTY",
        "not-guilty": "INDICATED_NOT_GUILTY",
        "not_guilty": "INDICATED_NOT_GUILTY",
        "none": "NO_INDICATION",
    },
    "verdict": {
        "g": "GUILTY",
        "guilty": "GUILTY",
        "ng": "NOT_GUILTY",
        "not-guilty": "NOT_GUILTY",
        "not_guilty": "NOT_GUILTY",
    },
    "allocation": {
        "summary": "SUMMARY_TRIAL",
        "crown": "SENT_CROWN",
        "sent": "SENT_CROWN",
        "elect": "ELECTED_CROWN",
        "elected": "ELECTED_CROWN",
    },
}
_DECISION_HELP = {
    "plea": "plea=G, plea=NG or plea=none",
    "indicated_plea": "ind=G, ind=NG or ind=none",
    "verdict": "verdict=G or verdict=NG",
    "allocation": "alloc=summary, alloc=crown or alloc=elect",
}
_DECISION_NAMES = {
    "plea": "plea",
    "indicated_plea": "indicated plea",
    "verdict": "verdict",
    "allocation": "allocation",
}
_PHRASES: dict[tuple[str, ...], tuple[str, str]] = {
    ("pleads", "guilty"): ("plea", "GUILTY"),
    ("pleaded", "guilty"): ("plea", "GUILTY"),
    ("pleads", "not", "guilty"): ("plea", "NOT_GUILTY"),
    ("pleaded", "not", "guilty"): ("plea", "NOT_GUILTY"),
    ("found", "guilty"): ("verdict", "GUILTY"),
    ("found", "not", "guilty"): ("verdict", "NOT_GUILTY"),
}
_MAX_CANDIDATES = 8
# Passed over between the words of a word group; none of them is a short code.
_JOINING_WORDS = frozenset({"in", "of", "to", "the", "for", "on", "at", "with", "and", "from", "by", "into"})


@dataclass
class _Open:
    """A result being filled."""

    code: str
    definition: dict
    specs: list[PromptSpec]
    hidden: frozenset[int]
    start: int
    end: int
    values: dict[int, PromptValue] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return _display(self.definition)

    def unfilled(self) -> list[int]:
        return [i for i in range(len(self.specs)) if i not in self.values]


class _Parser:
    def __init__(self, line: str, vocab: Vocabulary, hearing_date: datetime.date) -> None:
        self.line = line
        self.vocab = vocab
        self.hearing_date = hearing_date
        self.tokens, self.problems = _tokenize(line)
        self.out = ParsedLine(results=[])
        self.open: _Open | None = None
        self.any_result = False
        self.lost = False  # after a word that could not be read, its values are not reported again
        # Values outside a result, reported when the next result starts: (start, end, before any result).
        self.orphans: list[tuple[int, int, bool]] = []
        self.unknown_at = -2  # index of the last unknown-word token, to join runs of them

    # --- problems

    def problem(self, start: int, end: int, message: str, candidates: Iterable[Candidate] = ()) -> None:
        self.problems.append(NotepadProblem(start, end, self.line[start:end], message, tuple(candidates)))

    def candidates_sentence(self, codes: list[str]) -> tuple[str, list[Candidate]]:
        cands = [self.vocab.candidate(c) for c in codes[:_MAX_CANDIDATES]]
        listed = "; ".join(f"{c.short_code} ({c.label})" for c in cands)
        more = f" and {len(codes) - len(cands)} more" if len(codes) > len(cands) else ""
        return listed + more, cands

    # --- the line

    def parse(self) -> ParsedLine:
        k = 0
        while k < len(self.tokens):
            k = self.step(k)
        self.close()
        for start, end, _ in self.orphans:
            self.problem(
                start,
                end,
                f"The value {_quoted(self.line[start:end])} does not follow a result; type the result first and its values after it.",
            )
        self.out.problems = sorted(self.problems, key=lambda p: (p.start, p.end))
        return self.out

    def step(self, k: int) -> int:
        t = self.tokens[k]
        if t.key is not None:
            return self.key_value(k)
        if t.quoted:
            self.value(k, k + 1, "text", t.text)
            return k + 1
        if phrase := self.match_phrase(k):
            words, (kind, value) = phrase
            self.close()
            self.decide(kind, value, t.start, self.tokens[k + len(words) - 1].end)
            return k + len(words)
        codes, n = self.match_result(k)
        if codes:
            end = self.tokens[k + n - 1].end
            if len(codes) > 1:
                self.close()
                self.lost = True
                listed, cands = self.candidates_sentence(codes)
                self.problem(
                    t.start,
                    end,
                    f"{_quoted(self.line[t.start : end])} could mean: {listed}. Type the short code of the one you mean.",
                    cands,
                )
            elif self.open is not None and n == 1 and _NUMBER_RE.fullmatch(t.text):
                self.lost = True
                cand = self.vocab.candidate(codes[0])
                self.problem(
                    t.start,
                    t.end,
                    f"{_quoted(t.text)} could be a value for {self.open.name} or the result {cand.short_code} ({cand.label}); "
                    f"write a value as key=value (or an amount as £{t.text}), or put {cand.short_code} before any other result.",
                    [cand],
                )
            else:
                self.start_result(codes[0], t.start, end)
            return k + n
        if self.open is not None and (flag := self.match_prompt_words(k)):
            index, n = flag
            return self.prompt_words(k, index, n)
        if value := self.read_value(k):
            kind, payload, n = value
            self.value(k, k + n, kind, payload)
            return k + n
        partial = self.match_partial(k)
        if partial:
            codes, n = partial
            self.close()
            self.lost = True
            end = self.tokens[k + n - 1].end
            listed, cands = self.candidates_sentence(codes)
            self.problem(
                t.start,
                end,
                f"{_quoted(self.line[t.start : end])} is not a whole result; it could be the start of: {listed}. "
                "Type the rest of the words or the short code.",
                cands,
            )
            self.unknown_at = k + n - 1
            return k + n
        self.unknown(k)
        return k + 1

    # --- results

    def match_words(self, k: int, words: tuple[str, ...]) -> tuple[int, int]:
        """How many of ``words`` the tokens from k give in order, and how many tokens that takes.

        Small joining words between them are passed over ("remand in custody" is "remand custody"):
        Common Platform's word groups leave them out.
        """
        i, matched, taken = k, 0, 0
        while matched < len(words) and i < len(self.tokens) and self.tokens[i].plain:
            word = self.tokens[i].word
            if word == words[matched]:
                matched, i = matched + 1, i + 1
                taken = i - k
            elif matched and word in _JOINING_WORDS:
                i += 1
            else:
                break
        return matched, taken

    def match_result(self, k: int) -> tuple[list[str], int]:
        """Definitions starting at token k and how many tokens they take: the longest match."""
        t = self.tokens[k]
        if not t.plain:
            return [], 0
        word = t.word
        best: tuple[int, int] = (0, 0)
        codes: list[str] = []
        for words, group_codes in self.vocab._groups_by_first.get(word, ()):
            matched, taken = self.match_words(k, words)
            if matched < len(words) or (taken, matched) < best:
                continue
            if (taken, matched) > best:
                best, codes = (taken, matched), []
            codes.extend(c for c in group_codes if c not in codes)
        if word in self.vocab._by_code and best[0] <= 1:
            return [word], 1  # a short code always means its own result
        return sorted(codes, key=self.vocab._rank), best[0]

    def match_partial(self, k: int) -> tuple[list[str], int] | None:
        """Word groups that the words from k begin without completing: the longest such beginning."""
        best: tuple[int, int] = (0, 0)
        codes: list[str] = []
        t = self.tokens[k]
        for words, group_codes in self.vocab._groups_by_first.get(t.word if t.plain else "", ()):
            matched, taken = self.match_words(k, words)
            if (matched, taken) < best:
                continue
            if (matched, taken) > best:
                best, codes = (matched, taken), []
            codes.extend(c for c in group_codes if c not in codes)
        if not best[0]:
            return None
        return sorted(codes, key=self.vocab._rank), best[1]

    def start_result(self, code: str, start: int, end: int) -> None:
        self.close()
        self.lost = False
        definition = self.vocab._by_code[code]
        self.open = _Open(code, definition, self.vocab._specs[code], self.vocab._hidden[code], start, end)
        self.any_result = True
        for o_start, o_end, first in self.orphans:
            shown = self.line[o_start:o_end]
            example = _quoted(definition.get("shortCode", "") + " " + shown) if first else "“FO 200”"
            self.problem(
                o_start,
                o_end,
                f"The value {_quoted(shown)} does not follow a result; type each value after the result it belongs to, "
                f"for example {example}.",
            )
        self.orphans = []

    def close(self) -> None:
        o = self.open
        if o is None:
            return
        self.open = None
        d = o.definition
        self.out.results.append(
            ParsedResult(
                definition_id=str(d.get("id", "")),
                short_code=str(d.get("shortCode", "")),
                label=str(d.get("label", "")),
                level=str(d.get("level", "")),
                category=str(d.get("category", "")),
                prompts=[o.values[i] for i in sorted(o.values)],
                missing=[s for i, s in enumerate(o.specs) if s.mandatory and i not in o.values],
                text=self.line[o.start : o.end],
            )
        )

    # --- values

    def read_value(self, k: int) -> tuple[str, str, int] | None:
        """(kind, text, tokens) of a value at token k: number, money, duration, date, time."""
        t = self.tokens[k]
        if not t.plain:
            return None
        text = t.text.rstrip(".") if not re.search(r"\.\d", t.text) else t.text
        nxt = self.tokens[k + 1] if k + 1 < len(self.tokens) and self.tokens[k + 1].plain else None
        if re.fullmatch(r"\d+", text) and nxt is not None:
            if nxt.word in _UNIT_WORDS:
                return "duration", self.line[t.start : nxt.end], 2
            if nxt.word in ("am", "pm"):
                return "time", self.line[t.start : nxt.end], 2
        if _DURATION_RE.fullmatch(text):
            return "duration", text, 1
        if _TIME_24_RE.fullmatch(text) or _TIME_12_RE.fullmatch(text):
            return "time", text, 1
        if _DMY_RE.fullmatch(text) or _ISO_DATE_RE.fullmatch(text):
            return "date", text, 1
        if m := _NUMBER_RE.fullmatch(text):
            money = bool(m.group(1)) or "." in m.group(2)
            return ("money" if money else "number"), text, 1
        return None

    def targets(self, kind: str, payload: str) -> list[int]:
        o = self.open
        assert o is not None
        specs = o.specs
        visible = [i for i in o.unfilled() if specs[i].type != "NAMEADDRESS" and i not in o.hidden]
        if kind == "number":
            curr = [i for i in visible if specs[i].type == "CURR"]
            return curr or [i for i in visible if specs[i].type == "INT" and not specs[i].durations]
        if kind == "money":
            return [i for i in visible if specs[i].type == "CURR"]
        if kind == "duration":
            m = _DURATION_RE.fullmatch(payload.replace(" ", ""))
            unit = _UNIT_WORDS[m.group(2).lower()] if m else ""
            return [i for i in visible if unit in specs[i].durations]
        if kind == "date":
            return [i for i in visible if specs[i].type == "DATE"]
        if kind == "time":
            return [i for i in visible if specs[i].type == "TIME"]
        return [i for i in visible if specs[i].type in _TEXT_TYPES]

    def value(self, k: int, k_end: int, kind: str, payload: str) -> None:
        start, end = self.tokens[k].start, self.tokens[k_end - 1].end
        if self.open is None:
            if not self.lost:
                self.orphans.append((start, end, not self.any_result))
            return
        o = self.open
        shown = _quoted(self.line[start:end])
        targets = self.targets(kind, payload)
        if not targets:
            self.problem(
                start,
                end,
                f"{shown} does not fit any remaining prompt of {o.name}. {self.remaining(o, kind)}",
            )
            return
        self.fill(targets[0], payload, start, end)

    def fill(self, index: int, text: str, start: int, end: int) -> None:
        o = self.open
        assert o is not None
        spec = o.specs[index]
        try:
            value = prompt_value_parse(spec, text, hearing_date=self.hearing_date)
        except ValueError as error:
            self.problem(start, end, f"{o.name}: {error}")
            return
        o.values[index] = PromptValue(spec.id, spec.label, spec.reference, spec.type, value)
        o.end = max(o.end, end)

    def remaining(self, o: _Open, kind: str) -> str:
        free = [o.specs[i] for i in o.unfilled() if i not in o.hidden]
        if not free:
            return "All its prompts already have values."
        hint = ""
        if kind == "number" and any(s.durations for s in free):
            hint = " A period needs a unit, for example 12m or 12 months."
        if kind == "duration" and any(o.specs[i].durations for i in o.values):
            hint = " A period takes one unit: write 18m rather than 1y 6m."
        shown = [s for s in free if s.mandatory] or free
        listed = "; ".join(f"{s.label} ({_spec_describe(s)})" for s in shown[:5])
        return f"Still to fill: {listed}.{hint}"

    # --- key=value and prompt words

    def key_value(self, k: int) -> int:
        t = self.tokens[k]
        key = (t.key or "").lower()
        value, n = t.value, 1
        nxt = self.tokens[k + 1] if k + 1 < len(self.tokens) else None
        if (
            nxt is not None
            and nxt.plain
            and re.fullmatch(r"\d+", value)
            and nxt.word in {*_UNIT_WORDS, "am", "pm"}
        ):
            value, n = f"{value} {nxt.text}", 2  # period=6 months, time=10 am
        end = self.tokens[k + n - 1].end
        if key in _DECISION_KEYS:
            kind = _DECISION_KEYS[key]
            self.close()
            self.lost = False
            decided = _DECISION_VALUES[kind].get(value.lower())
            if decided is None:
                self.problem(
                    t.start,
                    end,
                    f"{_quoted(value)} is not a {_DECISION_NAMES[kind]} the notepad knows; write {_DECISION_HELP[kind]}.",
                )
            else:
                self.decide(kind, decided, t.start, end)
            return k + n
        o = self.open
        if o is None:
            if not self.lost:
                self.orphans.append((t.start, end, not self.any_result))
            return k + n
        matches = self.prompt_by_key(o, key)
        if len(matches) != 1:
            if matches:
                listed = "; ".join(o.specs[i].label for i in matches)
                message = f"{_quoted(t.key or '')} could be more than one prompt of {o.name}: {listed}. Type more of the prompt's name."
            else:
                names = (
                    "; ".join(
                        f"{s.label}" + (f" ({s.reference.lower()})" if s.reference else "") for s in o.specs
                    )
                    or "none"
                )
                message = f"{o.name} has no prompt called {_quoted(t.key or '')}. Its prompts are: {names}."
            self.problem(t.start, end, message)
            return k + n
        index = matches[0]
        if index in o.values:
            self.problem(
                t.start,
                end,
                f"{_quoted(o.specs[index].label)} of {o.name} already has a value ({o.values[index].value}).",
            )
            return k + n
        self.fill(index, value, t.start, end)
        return k + n

    @staticmethod
    def prompt_by_key(o: _Open, key: str) -> list[int]:
        by_reference = [i for i, s in enumerate(o.specs) if s.reference and s.reference.lower() == key]
        if by_reference:
            return by_reference
        parts = [p for p in re.split(r"[-_.]+", key) if p]
        if not parts:
            return []
        found, exact = [], []
        for i, s in enumerate(o.specs):
            words = re.findall(r"[a-z0-9]+", s.label.lower())
            if any(
                all(words[j + m].startswith(parts[m]) for m in range(len(parts)))
                for j in range(len(words) - len(parts) + 1)
            ):
                found.append(i)
                if words == parts:
                    exact.append(i)
        return exact if len(found) > 1 and len(exact) == 1 else found

    def match_prompt_words(self, k: int) -> tuple[int, int] | None:
        o = self.open
        assert o is not None
        for words, index in self.vocab._prompt_words[o.code]:
            n = len(words)
            if k + n <= len(self.tokens) and all(
                self.tokens[k + i].plain and self.tokens[k + i].word == words[i] for i in range(n)
            ):
                return index, n
        return None

    def prompt_words(self, k: int, index: int, n: int) -> int:
        o = self.open
        assert o is not None
        spec = o.specs[index]
        start, end = self.tokens[k].start, self.tokens[k + n - 1].end
        if index in o.values:
            self.problem(
                start,
                end,
                f"{_quoted(spec.label)} of {o.name} already has a value ({o.values[index].value}).",
            )
            return k + n
        if spec.type == "BOOLEAN":
            self.fill(index, "true", start, end)
            return k + n
        # A word that names a value prompt (for example "curfew address"): its value follows.
        nxt = self.tokens[k + n] if k + n < len(self.tokens) else None
        if nxt is not None and (nxt.quoted or (nxt.plain and not self.match_result(k + n)[0])):
            self.fill(index, nxt.text, start, nxt.end)
            return k + n + 1
        self.problem(
            start,
            end,
            f"{_quoted(spec.label)} of {o.name} needs a value after {_quoted(self.line[start:end])}.",
        )
        return k + n

    # --- decisions and unknown words

    def decide(self, kind: str, value: str, start: int, end: int) -> None:
        self.lost = False
        current = getattr(self.out, kind)
        if current is not None and current != value:
            name = _DECISION_NAMES[kind]
            self.problem(
                start,
                end,
                f"The {name} is given twice with different values ({current.replace('_', ' ').lower()}, "
                f"then {value.replace('_', ' ').lower()}); keep the one that is right.",
            )
            return
        setattr(self.out, kind, value)

    def unknown(self, k: int) -> None:
        t = self.tokens[k]
        self.close()
        start, earlier = t.start, ()
        if self.unknown_at == k - 1 and self.problems and self.problems[-1].end <= t.start:
            # One problem for a run of words that could not be read (fine onyl, remand in custody).
            previous = self.problems.pop()
            start, earlier = previous.start, previous.candidates
        self.unknown_at = k
        self.lost = True
        text = self.line[start : t.end]
        candidates = self.vocab.suggestions(text)
        for c in [*earlier, *(self.vocab.suggestions(t.text) if start != t.start else [])]:
            if c not in candidates:
                candidates.append(c)
        message = f"{_quoted(text)} is not a result, a value or a word the notepad knows."
        if candidates:
            message += (
                " Did you mean " + ", ".join(f"{c.short_code} ({c.label})" for c in candidates[:3]) + "?"
            )
        if k > 0 and self.tokens[k - 1].key is not None and self.tokens[k - 1].end < t.start:
            previous_key = self.tokens[k - 1].key
            message += (
                f' If it is part of a value, put the whole value in quotes, for example {previous_key}="…".'
            )
        self.problem(start, t.end, message, candidates[:5])

    def match_phrase(self, k: int) -> tuple[tuple[str, ...], tuple[str, str]] | None:
        for words, decision in sorted(_PHRASES.items(), key=lambda e: -len(e[0])):
            n = len(words)
            if k + n <= len(self.tokens) and all(
                self.tokens[k + i].plain and self.tokens[k + i].word == words[i] for i in range(n)
            ):
                return words, decision
        return None


def notepad_parse(line: str, *, vocabulary: Vocabulary, hearing_date: datetime.date) -> ParsedLine:
    """Read one notepad line into results, plea, indicated plea, verdict and allocation, and problems."""
    return _Parser(line, vocabulary, hearing_date).parse()
