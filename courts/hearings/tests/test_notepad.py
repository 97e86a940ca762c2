"""The resulting notepad against Common Platform's 540 published result definitions."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from courts.hearings.notepad import (
    Candidate,
    ParsedLine,
    PromptSpec,
    Vocabulary,
    notepad_parse,
    prompt_value_parse,
    vocabulary,
    vocabulary_changed,
)

DEFINITIONS = (
    Path(settings.REFERENCE_DIR)
    / "cpp-context-hearing/hearing-integration-test/src/test/resources/stub-data/result-definitions.json"
)
HEARING = datetime.date(2026, 11, 20)


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_definitions(json.loads(DEFINITIONS.read_text())["resultDefinitions"])


def parse(vocab: Vocabulary, line: str, hearing_date: datetime.date = HEARING) -> ParsedLine:
    parsed = notepad_parse(line, vocabulary=vocab, hearing_date=hearing_date)
    for problem in parsed.problems:
        assert line[problem.start : problem.end] == problem.text
        assert problem.message.endswith((".", "?"))
    return parsed


def values(result) -> dict[str, str]:
    return {p.label: p.value for p in result.prompts}


def missing(result) -> list[str]:
    return [m.label for m in result.missing]


def spec(vocab: Vocabulary, code: str, label: str) -> PromptSpec:
    return next(s for s in vocab.prompt_specs(code) if s.label == label)


# --- results and their values


def test_fine_costs_and_surcharge(vocab):
    line = "FO 200 FCPC 85 FVS"
    parsed = parse(vocab, line)

    assert parsed.ok
    fine, costs, surcharge = parsed.results
    assert [r.short_code for r in parsed.results] == ["FO", "FCPC", "FVS"]
    assert [vocab.definition(r.short_code)["cjsCode"] for r in parsed.results] == ["1015", "3011", "3117"]
    assert (fine.label, fine.level, fine.category, fine.text) == ("Fine", "O", "F", "FO 200")
    assert fine.definition_id == vocab.definition("fo")["id"]
    assert [(p.label, p.reference, p.type, p.value) for p in fine.prompts] == [
        ("Amount of fine", "AOF", "CURR", "200.00")
    ]
    assert fine.prompts[0].prompt_id == vocab.definition("FO")["prompts"][0]["id"]
    assert (values(costs), costs.text) == ({"Amount of costs": "85.00"}, "FCPC 85")
    assert fine.missing == costs.missing == []
    # The surcharge amount is left to the service, so it is reported as missing.
    assert surcharge.prompts == [] and [(m.label, m.reference) for m in surcharge.missing] == [
        ("Amount of surcharge", "AOS")
    ]
    assert surcharge.text == "FVS"
    assert (parsed.plea, parsed.indicated_plea, parsed.verdict, parsed.allocation) == (None, None, None, None)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("fine only 200", "FO"),
        ("Fine Only £200", "FO"),
        ("FO 200", "FO"),
        ("fo 200", "FO"),
        ("remand custody", "RI"),
        ("remand in custody", "RI"),  # joining words between word-group words are passed over
        ("Community Order", "co"),
        ("CO", "co"),
        ("victim surcharge", "FVS"),
        ("costs cps 85", "FCPC"),
        ("next hearing in magistrates 3/12 10am", "NHMC"),
        ("adjournment for the trial", "TRIAL"),
        ("ctl extended", "CTLE"),  # the longest match wins over the short code CTL
        ("ctl not extended", "CTLNE"),
        ("trial adjourned", "NOTRIAL"),
        ("not guilty discharged", "DISCH"),
        ("not guilty", "NGJ"),
        ("taken into consideration", "TIC"),
    ],
)
def test_short_codes_and_word_groups(vocab, line, code):
    parsed = parse(vocab, line)
    assert parsed.ok, parsed.problems
    assert [r.short_code for r in parsed.results] == [code]
    assert parsed.results[0].text == line


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("A", "A"),
        ("a", "A"),
        ("plea", "PLEA"),
        ("TRIAL", "TRIAL"),
        ("def", "DEF"),
        ("pros", "PROS"),
        ("P", "P"),
        ("co", "co"),
        ("IMP", "imp"),
        ("dead", "dead"),
        ("disc", "disc"),
        ("text", "TEXT"),
        ("yoi", "yoi"),
    ],
)
def test_short_codes_that_are_ordinary_words_mean_their_result(vocab, line, code):
    parsed = parse(vocab, line)
    assert [r.short_code for r in parsed.results] == [code]
    assert parsed.plea is None


def test_fine_amount_spellings(vocab):
    for line in ("FO 1,200", "FO £1,200", "FO 1200.00", "FO 1200.", "FO aof=1200", "FO aof=£1,200"):
        assert values(parse(vocab, line).results[0]) == {"Amount of fine": "1200.00"}, line
    assert values(parse(vocab, "FO 85.5").results[0]) == {"Amount of fine": "85.50"}


def test_community_order_with_a_period_reports_what_is_missing(vocab):
    parsed = parse(vocab, "co 12m")

    (order,) = parsed.results
    assert order.short_code == "co" and order.prompts == []
    assert missing(order) == ["End Date", "Responsible officer", "Supervising Court name"]
    (problem,) = parsed.problems
    assert (problem.text, problem.start, problem.end) == ("12m", 3, 6)
    assert "does not fit any remaining prompt of Community order England / Wales (co)" in problem.message
    assert "End Date (a date)" in problem.message


def test_community_order_filled_by_name(vocab):
    parsed = parse(vocab, 'co 3/12/2027 officer="J Smith" supervising="Leeds Magistrates" judge=y')
    assert parsed.ok, parsed.problems
    (order,) = parsed.results
    assert values(order) == {
        "End Date": "2027-12-03",
        "Responsible officer": "J Smith",
        "Supervising Court name": "Leeds Magistrates",
        "Judge reserves breach proceedings": "true",
    }
    assert order.missing == []


def test_remand_in_custody_with_prison(vocab):
    parsed = parse(vocab, 'RI prison="HMP Leeds"')
    assert parsed.ok
    (remand,) = parsed.results
    assert (remand.short_code, remand.label) == ("RI", "Remanded in custody")
    assert values(remand) == {"Prison": "HMP Leeds"}
    assert missing(remand) == ["Remand basis", "Bail exception", "Bail exception reason", "Remand Status"]
    assert remand.text == 'RI prison="HMP Leeds"'


def test_unquoted_value_with_a_space_is_a_problem_with_a_hint(vocab):
    parsed = parse(vocab, "RI prison=HMP Leeds")
    assert values(parsed.results[0]) == {"Prison": "HMP"}
    (problem,) = parsed.problems
    assert problem.text == "Leeds"
    assert 'prison="…"' in problem.message


@pytest.mark.parametrize(
    ("line", "label", "value"),
    [
        ("imp 6 months", "Imprisonment Period", "6 Months"),
        ("imp 6m", "Imprisonment Period", "6 Months"),
        ("imp 14d", "Imprisonment Period", "14 Days"),
        ("imp 12 w", "Imprisonment Period", "12 Weeks"),
        ("SUSPS 6m", "Imprisonment Period", "6 Months"),
        ("CD 12 months", "Period of conditional discharge", "12 Months"),
        ("CD 18 Months", "Period of conditional discharge", "18 Months"),
        ("CD 2y", "Period of conditional discharge", "2 Years"),
        ("conditional discharge 1 year", "Period of conditional discharge", "1 Years"),
        ("CD period=6 months", "Period of conditional discharge", "6 Months"),
        ("3101 20h", "Number of hours", "20 Hours"),
    ],
)
def test_periods(vocab, line, label, value):
    parsed = parse(vocab, line)
    assert parsed.ok, parsed.problems
    assert values(parsed.results[0])[label] == value


def test_imprisonment_and_suspended_sentence_missing_prompts(vocab):
    assert missing(parse(vocab, "imp 6 months").results[0]) == ["Bail remand days to count (tagged days)"]
    assert missing(parse(vocab, "SUSPS 6m").results[0]) == ["Responsible officer"]
    assert missing(parse(vocab, "CD 12 months").results[0]) == []


def test_prompt_words_from_the_definition(vocab):
    parsed = parse(vocab, "imp 6m concurrent tagged=10")
    assert parsed.ok
    assert values(parsed.results[0]) == {
        "Imprisonment Period": "6 Months",
        "Concurrent": "true",
        "Bail remand days to count (tagged days)": "10",
    }
    assert parsed.results[0].missing == []


@pytest.mark.parametrize(
    ("hearing_date", "date"),
    [
        (HEARING, "2026-12-03"),
        (datetime.date(2026, 12, 3), "2026-12-03"),
        (datetime.date(2026, 12, 10), "2027-12-03"),
    ],
)
def test_next_hearing_date_and_time(vocab, hearing_date, date):
    parsed = parse(vocab, "NHMC 3/12 10am", hearing_date)
    assert parsed.ok
    (hearing,) = parsed.results
    assert values(hearing) == {"Date of hearing": date, "Time of hearing": "10:00"}
    assert [(p.reference, p.type) for p in hearing.prompts] == [("HDATE", "DATE"), ("timeOfHearing", "TIME")]
    assert missing(hearing) == ["Courthouse name", "Hearing type", "Estimated duration"]


def test_next_hearing_by_references(vocab):
    parsed = parse(vocab, 'NHMC hdate=2026-12-03 time="2 pm" hchouse="Leeds" htype="Trial" hest=30min')
    assert parsed.ok, parsed.problems
    assert values(parsed.results[0]) == {
        "Date of hearing": "2026-12-03",
        "Time of hearing": "14:00",
        "Courthouse name": "Leeds",
        "Hearing type": "Trial",
        "Estimated duration": "30 Minutes",
    }
    assert parsed.results[0].missing == []


def test_quoted_text(vocab):
    parsed = parse(vocab, 'TEXT "Defendant to attend, with an interpreter" FO 100')
    assert parsed.ok
    text, fine = parsed.results
    assert values(text) == {"Text": "Defendant to attend, with an interpreter"}
    assert text.text == 'TEXT "Defendant to attend, with an interpreter"'
    assert values(fine) == {"Amount of fine": "100.00"}
    # A quoted string fills the first text or list prompt in sequence: for RI that is Remand basis.
    assert values(parse(vocab, 'RI "Adult"').results[0]) == {"Remand basis": "Adult"}


def test_commas_between_results_are_ignored(vocab):
    for line in ("FO 200, FCPC 85, FVS", "FO 200,FCPC 85 , FVS"):
        parsed = parse(vocab, line)
        assert parsed.ok
        assert [(r.short_code, values(r)) for r in parsed.results] == [
            ("FO", {"Amount of fine": "200.00"}),
            ("FCPC", {"Amount of costs": "85.00"}),
            ("FVS", {}),
        ]


@pytest.mark.parametrize("line", ["", "   ", ",", " , , "])
def test_empty_line(vocab, line):
    parsed = parse(vocab, line)
    assert parsed.ok and parsed.results == [] and parsed.problems == []


# --- pleas, verdicts and allocation


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("pleads guilty", ("GUILTY", None, None, None)),
        ("Pleaded Guilty", ("GUILTY", None, None, None)),
        ("pleads not guilty", ("NOT_GUILTY", None, None, None)),
        ("pleaded not guilty", ("NOT_GUILTY", None, None, None)),
        ("plea=G", ("GUILTY", None, None, None)),
        ("plea=guilty", ("GUILTY", None, None, None)),
        ("plea=NG", ("NOT_GUILTY", None, None, None)),
        ("plea=not-guilty", ("NOT_GUILTY", None, None, None)),
        ("plea=none", ("NO_PLEA", None, None, None)),
        ("ind=G", (None, "INDICATED_GUILTY", None, None)),
        ("ind=NG", (None, "INDICATED_NOT_GUILTY", None, None)),
        ("ind=none", (None, "NO_INDICATION", None, None)),
        ("verdict=G", (None, None, "GUILTY", None)),
        ("verdict=NG", (None, None, "NOT_GUILTY", None)),
        ("found guilty", (None, None, "GUILTY", None)),
        ("found not guilty", (None, None, "NOT_GUILTY", None)),
        ("alloc=summary", (None, None, None, "SUMMARY_TRIAL")),
        ("alloc=crown", (None, None, None, "SENT_CROWN")),
        ("alloc=elect", (None, None, None, "ELECTED_CROWN")),
        ("ind=NG alloc=elect", (None, "INDICATED_NOT_GUILTY", None, "ELECTED_CROWN")),
        ("pleads not guilty alloc=summary", ("NOT_GUILTY", None, None, "SUMMARY_TRIAL")),
        ("plea=G plea=guilty", ("GUILTY", None, None, None)),  # the same plea twice is not a conflict
    ],
)
def test_pleas_verdicts_and_allocation(vocab, line, expected):
    parsed = parse(vocab, line)
    assert parsed.ok, parsed.problems
    assert parsed.results == []  # "found not guilty" is a verdict, never the result NGJ ("not guilty")
    assert (parsed.plea, parsed.indicated_plea, parsed.verdict, parsed.allocation) == expected


def test_plea_with_results(vocab):
    parsed = parse(vocab, "pleads guilty FO 200 FCPC 85 FVS")
    assert parsed.ok and parsed.plea == "GUILTY"
    assert [r.short_code for r in parsed.results] == ["FO", "FCPC", "FVS"]
    assert parsed.results[0].text == "FO 200"


@pytest.mark.parametrize(
    ("line", "text", "words"),
    [
        ("plea=G pleads not guilty", "pleads not guilty", "plea is given twice"),
        ("found guilty verdict=NG", "verdict=NG", "verdict is given twice"),
        ("alloc=summary alloc=crown", "alloc=crown", "allocation is given twice"),
        ("ind=G ind=NG", "ind=NG", "indicated plea is given twice"),
        ("plea=maybe", "plea=maybe", "write plea=G, plea=NG or plea=none"),
        ("alloc=jury", "alloc=jury", "alloc=summary, alloc=crown or alloc=elect"),
    ],
)
def test_conflicting_or_unknown_decisions(vocab, line, text, words):
    parsed = parse(vocab, line)
    (problem,) = parsed.problems
    assert problem.text == text
    assert words in problem.message


# --- problems


@pytest.mark.parametrize(
    ("line", "text", "suggested"),
    [
        ("FOO 200", "FOO", "FO"),
        ("FX", "FX", None),
        ("fine onyl 200", "fine onyl", "FO"),
        ("imprisonmnet 6m", "imprisonmnet", "imp"),
    ],
)
def test_unknown_words_are_problems_with_suggestions(vocab, line, text, suggested):
    parsed = parse(vocab, line)
    assert parsed.results == []
    (problem,) = parsed.problems  # the values after an unknown word are not reported again
    assert problem.text == text
    assert "is not a result, a value or a word the notepad knows" in problem.message
    if suggested:
        assert problem.candidates[0] == Candidate(suggested, vocab.definition(suggested)["label"])
        assert f"Did you mean {suggested} (" in problem.message


def test_unknown_word_after_a_result_keeps_the_result(vocab):
    parsed = parse(vocab, "FO 200 FCPC 85 FOO")
    assert [r.short_code for r in parsed.results] == ["FO", "FCPC"]
    assert [p.text for p in parsed.problems] == ["FOO"]


def test_words_matching_one_word_group_of_several_results_are_never_guessed():
    # No two published definitions share a word group, so two made-up ones show the rule.
    vocab = Vocabulary.from_definitions(
        [
            {
                "id": "1",
                "shortCode": "RA1",
                "label": "Remand one",
                "level": "O",
                "category": "I",
                "wordGroups": [{"wordGroup": ["remand", "custody"]}],
            },
            {
                "id": "2",
                "shortCode": "RA2",
                "label": "Remand two",
                "level": "O",
                "category": "I",
                "wordGroups": [{"wordGroup": ["Remand", "Custody"]}],
            },
        ]
    )
    parsed = parse(vocab, "remand custody")
    assert parsed.results == []
    (problem,) = parsed.problems
    assert problem.text == "remand custody"
    assert problem.message.startswith("“remand custody” could mean: RA1 (Remand one); RA2 (Remand two).")
    assert problem.candidates == (Candidate("RA1", "Remand one"), Candidate("RA2", "Remand two"))


@pytest.mark.parametrize(
    ("line", "text", "codes"),
    [
        ("adjournment request", "adjournment request", ["DEF", "PROS"]),
        ("adjournment request 3/12", "adjournment request", ["DEF", "PROS"]),
        ("fine", "fine", ["FO"]),
        ("bail not", "bail not", ["PORE1", "PORE2", "PORE3", "PORE4", "PORE5", "PORE11", "PORR4", "PORT2"]),
    ],
)
def test_words_that_only_begin_word_groups_list_the_candidates(vocab, line, text, codes):
    parsed = parse(vocab, line)
    assert parsed.results == []
    (problem,) = parsed.problems
    assert problem.text == text
    assert "could be the start of:" in problem.message
    assert sorted(c.short_code for c in problem.candidates) == sorted(codes)


def test_adjournment_alone_lists_the_adjournment_reasons(vocab):
    (problem,) = parse(vocab, "adjournment").problems
    assert {"PLEA", "TRIAL", "DEF", "PROS"} <= {c.short_code for c in problem.candidates}
    assert "more" in problem.message  # more candidates than it lists


@pytest.mark.parametrize(
    ("line", "text", "example"),
    [
        ("200 FO", "200", "“FO 200”"),
        ("£85 FCPC", "£85", "“FCPC £85”"),
        ("aof=200 FO", "aof=200", "“FO aof=200”"),
    ],
)
def test_value_before_any_result(vocab, line, text, example):
    parsed = parse(vocab, line)
    assert len(parsed.results) == 1 and parsed.results[0].prompts == []
    (problem,) = parsed.problems
    assert (problem.start, problem.text) == (0, text)
    assert "does not follow a result" in problem.message and example in problem.message


def test_value_after_a_plea_needs_its_result(vocab):
    parsed = parse(vocab, "FO 200 pleads guilty 300")
    assert values(parsed.results[0]) == {"Amount of fine": "200.00"}
    (problem,) = parsed.problems
    assert problem.text == "300" and "does not follow a result" in problem.message


@pytest.mark.parametrize(
    ("line", "text", "words"),
    [
        ("FO abc", "abc", "is not a result, a value or a word"),
        ("FO aof=abc", "aof=abc", "“Amount of fine” is an amount of money such as 200 or 85.50"),
        ("FO £85.505", "£85.505", "at most two decimal places"),
        ("FO 1000000000", "1000000000", "must be at most £999,999,999.00"),
        ("FO -5", "-5", "must be at least £0.00"),
        ("imp 6m 100", "100", "“Consecutive to offence number” must be at most 99"),
        (
            "imp 6m tagged=1000",
            "tagged=1000",
            "“Bail remand days to count (tagged days)” must be at most 999",
        ),
        ("CD 0m", "0m", "must be at least 1"),
        ("NHMC 31/02", "31/02", "“Date of hearing” is a date"),
        ("NHMC 3/12 25:00", "25:00", "“Time of hearing” is a time"),
        ("co judge=maybe", "judge=maybe", "is yes or no"),
    ],
)
def test_values_that_do_not_fit_their_prompt(vocab, line, text, words):
    parsed = parse(vocab, line)
    (problem,) = parsed.problems
    assert problem.text == text
    assert words in problem.message
    assert len(parsed.results) == 1


@pytest.mark.parametrize(
    ("line", "text", "words"),
    [
        (
            "FO 200 300",
            "300",
            "does not fit any remaining prompt of Fine (FO). All its prompts already have values.",
        ),
        ("CD 12", "12", "A period needs a unit, for example 12m"),
        ("CD 5h", "5h", "Period of conditional discharge (a period in years, months, weeks, days)"),
        ("imp 1y 6m", "6m", "write 18m rather than 1y 6m"),
        ("FVS 3/12", "3/12", "does not fit any remaining prompt of Surcharge (FVS)"),
        ("FO 10am", "10am", "does not fit any remaining prompt of Fine (FO)"),
        ('FO "two hundred"', '"two hundred"', "does not fit any remaining prompt of Fine (FO)"),
    ],
)
def test_values_that_fit_no_remaining_prompt(vocab, line, text, words):
    (problem,) = parse(vocab, line).problems
    assert problem.text == text
    assert words in problem.message


@pytest.mark.parametrize(
    ("line", "text", "words"),
    [
        ("imp 6m days=10", "days=10", "could be more than one prompt of Imprisonment (imp)"),
        (
            "FO colour=red",
            "colour=red",
            "Fine (FO) has no prompt called “colour”. Its prompts are: Amount of fine (aof).",
        ),
        ("FO 200 aof=300", "aof=300", "“Amount of fine” of Fine (FO) already has a value (200.00)."),
        (
            "imp 6m concurrent concurrent",
            "concurrent",
            "“Concurrent” of Imprisonment (imp) already has a value",
        ),
    ],
)
def test_key_problems(vocab, line, text, words):
    (problem,) = parse(vocab, line).problems
    assert problem.text == text
    assert words in problem.message


def test_unclosed_quote(vocab):
    parsed = parse(vocab, 'TEXT "no end')
    (problem,) = parsed.problems
    assert (problem.start, problem.end) == (5, 12)
    assert "never closed" in problem.message


def test_numeric_short_code_is_never_read_as_a_value(vocab):
    parsed = parse(vocab, "FO 3101")
    (problem,) = parsed.problems
    assert problem.text == "3101" and problem.candidates[0].short_code == "3101"
    assert values(parse(vocab, "FO £3101").results[0]) == {"Amount of fine": "3101.00"}


# --- prompt values, for the forms that ask for missing prompts


@pytest.mark.parametrize(
    ("code", "label", "text", "value"),
    [
        ("FO", "Amount of fine", "200", "200.00"),
        ("FO", "Amount of fine", "£85", "85.00"),
        ("FO", "Amount of fine", " 85.5 ", "85.50"),
        ("FO", "Amount of fine", "1,200", "1200.00"),
        ("imp", "Bail remand days to count (tagged days)", "6", "6"),
        ("imp", "Imprisonment Period", "6m", "6 Months"),
        ("imp", "Imprisonment Period", "6 months", "6 Months"),
        ("imp", "Imprisonment Period", "2 Years", "2 Years"),
        ("3101", "Number of hours", "20", "20 Hours"),  # one unit only: a bare number is in that unit
        ("NHMC", "Date of hearing", "3/12", "2026-12-03"),
        ("NHMC", "Date of hearing", "1/1", "2027-01-01"),
        ("NHMC", "Date of hearing", "20/11", "2026-11-20"),
        ("NHMC", "Date of hearing", "03/12/2026", "2026-12-03"),
        ("NHMC", "Date of hearing", "3/12/27", "2027-12-03"),
        ("NHMC", "Date of hearing", "2026-12-03", "2026-12-03"),
        ("NHMC", "Date of hearing", "29/02", "2028-02-29"),
        ("NHMC", "Time of hearing", "10:00", "10:00"),
        ("NHMC", "Time of hearing", "9:05", "09:05"),
        ("NHMC", "Time of hearing", "10am", "10:00"),
        ("NHMC", "Time of hearing", "2pm", "14:00"),
        ("NHMC", "Time of hearing", "2.30pm", "14:30"),
        ("NHMC", "Time of hearing", "14:30", "14:30"),
        ("NHMC", "Time of hearing", "12am", "00:00"),
        ("NHMC", "Time of hearing", "12pm", "12:00"),
        ("co", "Judge reserves breach proceedings", "Y", "true"),
        ("co", "Judge reserves breach proceedings", "no", "false"),
        ("co", "Supervising Court name", '"Leeds Magistrates"', "Leeds Magistrates"),
    ],
)
def test_prompt_value_parse(vocab, code, label, text, value):
    assert prompt_value_parse(spec(vocab, code, label), text, hearing_date=HEARING) == value


@pytest.mark.parametrize(
    ("code", "label", "text", "words"),
    [
        ("FO", "Amount of fine", "abc", "is an amount of money"),
        ("FO", "Amount of fine", "", "needs a value"),
        ("imp", "Imprisonment Period", "6", "needs a unit (years, months, weeks, days)"),
        ("imp", "Imprisonment Period", "6h", "is given in years, months, weeks, days, not hours"),
        ("imp", "Imprisonment Period", "six months", "is a period such as 6m"),
        ("imp", "Bail remand days to count (tagged days)", "1.5", "is a whole number"),
        ("NHMC", "Date of hearing", "30/02/2027", "is not a date"),
        ("NHMC", "Date of hearing", "tomorrow", "is not a date"),
        ("NHMC", "Time of hearing", "13pm", "is a time"),
        ("co", "Judge reserves breach proceedings", "maybe", "is yes or no"),
    ],
)
def test_prompt_value_parse_rejects(vocab, code, label, text, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        prompt_value_parse(spec(vocab, code, label), text, hearing_date=HEARING)


# --- the vocabulary


def test_prompt_specs_merge_duration_units(vocab):
    specs = vocab.prompt_specs("IMP")
    period = specs[0]
    assert (period.label, period.type, period.mandatory, period.sequence) == (
        "Imprisonment Period",
        "INT",
        True,
        100,
    )
    assert period.durations == ("Years", "Months", "Weeks", "Days")
    assert [s.label for s in specs].count("Imprisonment Period") == 1
    assert [s.sequence for s in specs] == sorted(s.sequence for s in specs)
    assert spec(vocab, "NHMC", "Estimated duration").durations == ("Weeks", "Days", "Hours", "Minutes")
    fine = spec(vocab, "FO", "Amount of fine")
    assert (fine.reference, fine.minimum, fine.maximum, fine.durations) == ("AOF", "0", "999999999", ())
    # Published with a no-break space in the label.
    assert spec(vocab, "CD", "Period of conditional discharge").durations == (
        "Years",
        "Months",
        "Weeks",
        "Days",
    )


def test_prompt_specs_keep_name_and_address_parts_apart_and_merge_repeats(vocab):
    sdo = [s for s in vocab.prompt_specs("SDO") if s.type == "NAMEADDRESS"]
    assert len(sdo) == 9 and len({s.id for s in sdo}) == 1 and len({s.reference for s in sdo}) == 9
    assets = [
        s for s in vocab.prompt_specs("CONFAA") if s.label == "Total value of assets decided by the Court"
    ]
    assert len(assets) == 1 and assets[0].mandatory and assets[0].sequence == 700


def test_definition_lookup(vocab):
    assert len(vocab) == 540
    assert vocab.definition("Co")["shortCode"] == "co"
    assert vocab.definition("nope") is None
    with pytest.raises(KeyError):
        vocab.prompt_specs("nope")


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("FO", "FO"),
        ("fin", "FO"),
        ("foo", "FO"),
        ("imp", "imp"),
        ("susp", "SUSPS"),
        ("conditional disch", "CD"),
        ("remand custody", "RI"),
        ("surcharge", "FVS"),
    ],
)
def test_suggestions(vocab, text, first):
    found = vocab.suggestions(text)
    assert 1 <= len(found) <= 5
    assert found[0].short_code == first
    assert len(vocab.suggestions(text, limit=2)) <= 2


def test_no_suggestions_for_nothing(vocab):
    assert vocab.suggestions("") == [] and vocab.suggestions("  ") == []


@pytest.mark.django_db
def test_vocabulary_from_the_database(django_assert_num_queries):
    vocabulary_changed()
    loaded = vocabulary()
    assert len(loaded) == 540
    assert vocabulary() is loaded  # cached per process
    with django_assert_num_queries(0):
        parsed = notepad_parse("FO 200 FCPC 85 FVS", vocabulary=vocabulary(), hearing_date=HEARING)
    assert [(r.short_code, values(r)) for r in parsed.results] == [
        ("FO", {"Amount of fine": "200.00"}),
        ("FCPC", {"Amount of costs": "85.00"}),
        ("FVS", {}),
    ]
    vocabulary_changed()
    assert vocabulary() is not loaded


_WORDS = [
    "FO",
    "200",
    "£85",
    "fine",
    "only",
    "co",
    "12m",
    "6 months",
    "3/12",
    "10am",
    "RI",
    "prison=",
    '"HMP',
    'Leeds"',
    "plea=G",
    "pleads",
    "not",
    "guilty",
    "found",
    ",",
    "=",
    "adjournment",
    "3101",
    "a",
    "x=y",
    "  ",
]


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join)))
def test_any_line_parses_with_problems_that_point_into_it(vocab, line):
    parsed = notepad_parse(line, vocabulary=vocab, hearing_date=HEARING)
    for problem in parsed.problems:
        assert 0 <= problem.start <= problem.end <= len(line)
        assert line[problem.start : problem.end] == problem.text
        assert problem.message
    for result in parsed.results:
        assert result.text and result.text in line
