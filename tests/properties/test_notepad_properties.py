"""The resulting notepad on random lines of short codes, words, numbers, periods, dates, times, quotes and
keys. `notepad_parse` never raises: whatever is typed comes back as results and problems (its documented
error and ambiguity result). And what it reads is stable:

- every problem points at the text it is about; every result is a real definition with only its own
  prompts, and a prompt still missing is a mandatory one without a value;
- every prompt value is in its canonical form: read again as that prompt, it is itself
  (`prompt_value_parse` is idempotent), which is what makes a saved draft re-readable;
- a clean line written back out in the notepad's canonical form (decisions as `plea=G`, then each result's
  short code followed by `reference="value"` for each prompt) reads back to the same results, values and
  decisions: the round trip a draft makes when it is shown again for editing;
- spacing between words, and the letter case of unquoted words, change nothing but offsets.
"""

import datetime
import json
from functools import cache
from pathlib import Path

from django.conf import settings as django_settings
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from courts.hearings.notepad import ParsedLine, Vocabulary, notepad_parse, prompt_value_parse

DEFINITIONS = (
    Path(django_settings.REFERENCE_DIR)
    / "cpp-context-hearing/hearing-integration-test/src/test/resources/stub-data/result-definitions.json"
)
# Court dates over several years, leap days and year ends included (day/month alone resolves after it).
HEARING_DATES = st.dates(datetime.date(2024, 1, 1), datetime.date(2030, 12, 31))


@cache
def vocab() -> Vocabulary:
    return Vocabulary.from_definitions(json.loads(DEFINITIONS.read_text())["resultDefinitions"])


@cache
def alphabet() -> tuple[list[str], list[str], list[str]]:
    """Short codes, words of word groups, and prompt references from the published definitions."""
    definitions = json.loads(DEFINITIONS.read_text())["resultDefinitions"]
    codes = sorted({str(d["shortCode"]) for d in definitions if d.get("shortCode")})
    words = sorted({str(w) for d in definitions for g in d.get("wordGroups") or [] for w in g.get("wordGroup") or []})
    refs = sorted({str(p["reference"]) for d in definitions for p in d.get("prompts") or [] if p.get("reference")})
    return codes, words, refs


CODES, GROUP_WORDS, REFERENCES = alphabet()

VALUES = st.one_of(
    st.integers(-5, 100_000).map(str),
    st.sampled_from(["£85", "85.50", "1,200", "0.001", "12,34", "1e3", "-0", "00"]),
    st.builds(lambda n, u: f"{n}{u}", st.integers(0, 400), st.sampled_from(["m", "w", "d", "y", "h", "min", "mths", "x"])),
    st.builds(lambda n, u: f"{n} {u}", st.integers(0, 40), st.sampled_from(["months", "weeks", "days", "years"])),
    st.builds(lambda d, m: f"{d}/{m}", st.integers(0, 32), st.integers(0, 13)),
    st.builds(lambda d, m, y: f"{d}/{m}/{y}", st.integers(1, 31), st.integers(1, 12), st.integers(0, 2100)),
    st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)).map(datetime.date.isoformat),
    st.sampled_from(["10:00", "10am", "2.30pm", "13pm", "25:00", "0am", "12:60", "9.5pm"]),
)
TOKENS = st.one_of(
    st.sampled_from(CODES),
    st.sampled_from(CODES).map(str.lower),
    st.sampled_from(GROUP_WORDS),
    VALUES,
    st.builds(lambda k, v: f"{k}={v}", st.sampled_from(REFERENCES + ["plea", "ind", "verdict", "alloc", "x", ""]),
              st.one_of(VALUES, st.sampled_from(["G", "NG", "none", "summary", "crown", "elect", "y", "n", "", "?"]))),
    st.builds(lambda k, v: f'{k}="{v}"', st.sampled_from(REFERENCES), st.text(max_size=15).filter(lambda t: '"' not in t)),
    st.sampled_from(["pleads", "pleaded", "found", "not", "guilty", "in", "of", ",", "=", '"', '"HMP Leeds"', "--"]),
    st.text(max_size=6),
)
LINES = st.lists(TOKENS, max_size=10).map(" ".join)
# An unknown word costs a suggestion search (difflib over the vocabulary, milliseconds each): the tests
# that parse each line twice take half the examples of the profile, on shorter lines.
HALF = settings(max_examples=max(settings.default.max_examples // 2, 10),
                suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


@st.composite
def result_lines(draw) -> str:
    """Lines shaped as a legal adviser types them: decisions, then results each followed by values."""
    parts = draw(st.lists(st.sampled_from(["plea=G", "plea=NG", "ind=none", "verdict=G", "alloc=summary",
                                           "pleads guilty", "found not guilty"]), max_size=2))
    for _ in range(draw(st.integers(1, 3))):
        parts.append(draw(st.sampled_from(CODES)))
        parts.extend(draw(st.lists(VALUES, max_size=2)))
    return " ".join(parts)


def check_shape(line: str, parsed: ParsedLine, hearing_date: datetime.date) -> None:
    for problem in parsed.problems:
        assert 0 <= problem.start <= problem.end <= len(line)
        assert line[problem.start : problem.end] == problem.text
        assert problem.message
    for result in parsed.results:
        definition = vocab().definition(result.short_code)
        assert definition is not None, result.short_code
        specs = {spec.id: spec for spec in vocab().prompt_specs(result.short_code)}
        filled = {value.prompt_id for value in result.prompts}
        assert len(filled) == len(result.prompts), "a prompt is filled at most once"
        for value in result.prompts:
            spec = specs[value.prompt_id]
            # canonical: the value read again as its prompt is itself
            assert prompt_value_parse(spec, value.value, hearing_date=hearing_date) == value.value
        for spec in result.missing:
            assert spec.mandatory and spec.id not in filled


@given(LINES, HEARING_DATES)
def test_any_line_gives_results_and_problems_never_an_exception(line, hearing_date):
    parsed = notepad_parse(line, vocabulary=vocab(), hearing_date=hearing_date)
    check_shape(line, parsed, hearing_date)


@given(st.text(max_size=60), HEARING_DATES)
def test_any_text_at_all_gives_results_and_problems(line, hearing_date):
    parsed = notepad_parse(line, vocabulary=vocab(), hearing_date=hearing_date)
    check_shape(line, parsed, hearing_date)


_DECISION_TEXT = {
    "plea": {"GUILTY": "plea=G", "NOT_GUILTY": "plea=NG", "NO_PLEA": "plea=none"},
    "indicated_plea": {"INDICATED_GUILTY": "ind=G", "INDICATED_NOT_GUILTY": "ind=NG", "NO_INDICATION": "ind=none"},
    "verdict": {"GUILTY": "verdict=G", "NOT_GUILTY": "verdict=NG"},
    "allocation": {"SUMMARY_TRIAL": "alloc=summary", "SENT_CROWN": "alloc=crown", "ELECTED_CROWN": "alloc=elect"},
}


def canonical(parsed: ParsedLine) -> str | None:
    """The line written back out, or None where a value cannot be written as `reference="value"` (a prompt
    without a reference of its own, or a value holding a quotation mark)."""
    parts = [_DECISION_TEXT[name][value] for name in _DECISION_TEXT
             if (value := getattr(parsed, name)) is not None]
    for result in parsed.results:
        references = [spec.reference.lower() for spec in vocab().prompt_specs(result.short_code)]
        parts.append(result.short_code)
        for value in result.prompts:
            if not value.reference or references.count(value.reference.lower()) != 1 or '"' in value.value:
                return None
            parts.append(f'{value.reference}="{value.value}"')
    return " ".join(parts)


def summary(parsed: ParsedLine) -> tuple:
    return (
        parsed.plea, parsed.indicated_plea, parsed.verdict, parsed.allocation,
        [(r.short_code, sorted((v.prompt_id, v.value) for v in r.prompts)) for r in parsed.results],
    )


@HALF
@given(result_lines(), HEARING_DATES)
def test_a_clean_line_written_back_out_reads_back_the_same(line, hearing_date):
    parsed = notepad_parse(line, vocabulary=vocab(), hearing_date=hearing_date)
    assume(parsed.ok)
    written = canonical(parsed)
    assume(written is not None)
    event(f"round trip of {len(parsed.results)} result(s)")
    again = notepad_parse(written, vocabulary=vocab(), hearing_date=hearing_date)
    assert again.ok, (written, again.problems)
    assert summary(again) == summary(parsed), written


@HALF
@given(st.lists(TOKENS, max_size=6), st.lists(st.sampled_from([" ", "  ", "\t", " , "]), min_size=6, max_size=6),
       HEARING_DATES)
def test_spacing_between_words_changes_nothing(tokens, gaps, hearing_date):
    # tokens that hold spaces or quotes carry their own structure; spacing is about the gaps between words
    assume(all(t and not any(c.isspace() or c in '",' for c in t) for t in tokens))
    single = notepad_parse(" ".join(tokens), vocabulary=vocab(), hearing_date=hearing_date)
    spaced = notepad_parse("".join(t + g for t, g in zip(tokens, gaps, strict=False)),
                           vocabulary=vocab(), hearing_date=hearing_date)
    assert summary(spaced) == summary(single)
    assert [" ".join(p.text.replace(",", " ").split()) for p in spaced.problems] == [p.text for p in single.problems]


@HALF
@given(st.lists(TOKENS, max_size=6), HEARING_DATES)
def test_letter_case_of_unquoted_words_changes_nothing(tokens, hearing_date):
    line = " ".join(tokens)
    assume('"' not in line)
    lower = notepad_parse(line.lower(), vocabulary=vocab(), hearing_date=hearing_date)
    upper = notepad_parse(line.upper(), vocabulary=vocab(), hearing_date=hearing_date)
    assert summary(lower) == summary(upper)
    assert len(lower.problems) == len(upper.problems)
