"""Police SPI intake under random and hostile input: whatever arrives, `spi_case_intake` either creates or
extends a case, or raises `ValidationFailed` naming at least one field, and a refused message writes
nothing. No other exception (a crash, a database error, a recursion error) ever escapes.

The messages start from a valid one (`courts.cases.tests.test_spi.new_case_message`) and are damaged the
way real senders and attackers damage them: a leaf's text replaced by anything (escaped, so the XML stays
well formed and the mapping and the database are reached), elements dropped or repeated, the message
wrapped in the CJSE RouteData envelope, declarations and encodings that lie, DTDs and entities, deep
nesting, and raw bytes.
"""

import re
from xml.sax.saxutils import escape

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from courts.accounts.enums import OrganisationKind
from courts.accounts.services import organisation_get_or_create
from courts.cases.models import Defendant, Offence, ProsecutionCase
from courts.cases.spi import MAX_DEPTH, spi_case_intake, spi_parse
from courts.cases.tests.factories import valid_asn
from courts.cases.tests.test_spi import defendant_xml, in_route_data, new_case_message
from courts.common.actor import Actor
from courts.common.errors import ValidationFailed

pytestmark = pytest.mark.django_db

FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

VALID = new_case_message(defendants=defendant_xml(valid_asn(1)) + defendant_xml(valid_asn(2), "Roe", "Richard"))
# Each leaf element (a start tag, its text, its end tag) of the valid message.
LEAF = re.compile(r"(<([\w:]+)(?:\s[^>]*)?>)([^<]*)(</\2>)")
LEAVES = [m.span(3) for m in LEAF.finditer(VALID)]
# Whole elements, leaf or not, that start on their own line: dropped or repeated as a unit.
ELEMENT = re.compile(r"^[ \t]*<([\w:]+)[^>]*>.*?</\1>\n", re.MULTILINE | re.DOTALL)
ELEMENTS = [m.span() for m in ELEMENT.finditer(VALID) if not m.group(1).startswith("NewCaseMessage")]

# Text a police system might send, or an attacker: any Unicode (XML forbids some: those must be refused,
# not crash), long runs, digits from other scripts, dates and times almost right.
ANY_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=400),
    st.from_regex(r"-?[0-9٠-٩]{1,6}-[0-9]{1,3}-[0-9]{1,3}(Z|[+-][0-9]{2}:[0-9]{2})?", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}(\.[0-9]+)?", fullmatch=True),
    st.sampled_from(["", " ", "0", "9", "²", "١", "DVV", "B01LY0", "01ZD00000001", "20040046583U", "\t\n"]),
)


@st.composite
def damaged_messages(draw) -> bytes:
    """The valid message with up to four leaves' text replaced, and perhaps an element dropped or
    repeated, bare or inside RouteData."""
    text = VALID
    for start, end in sorted(draw(st.lists(st.sampled_from(LEAVES), max_size=4, unique=True)), reverse=True):
        text = text[:start] + escape(draw(ANY_TEXT)) + text[end:]
    structure = draw(st.sampled_from(["none", "drop", "repeat"]))
    if structure != "none":
        spans = [span for span in (m.span() for m in ELEMENT.finditer(text))
                 if not text[span[0]:span[1]].lstrip().startswith("<NewCaseMessage")]
        if spans:
            start, end = draw(st.sampled_from(spans))
            element = text[start:end]
            text = text[:start] + ("" if structure == "drop" else element + element) + text[end:]
    if draw(st.booleans()):
        return in_route_data(text.replace('<?xml version="1.0" encoding="UTF-8"?>\n', ""))
    return text.encode("utf-8", "surrogatepass")


HOSTILE = [
    # entity expansion ("billion laughs") and external entities: no DTD is read at all
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b'<NewCaseMessage xmlns="http://www.dca.gov.uk/xmlschemas/libra">&b;</NewCaseMessage>',
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<NewCaseMessage xmlns="http://www.dca.gov.uk/xmlschemas/libra">&x;</NewCaseMessage>',
    # nesting far deeper than any SPI message
    b"<a>" * (MAX_DEPTH * 50) + b"</a>" * (MAX_DEPTH * 50),
    # the envelope holding something that is not XML, or nothing
    in_route_data("not xml at all <<<"),
    in_route_data(""),
    b"\x00" * 64,
    VALID.encode("utf-8")[: len(VALID) // 2],
]
# Encodings declared, undeclared, marked or lying: read as the bytes say, or refused; never a crash.
ODD_ENCODINGS = [
    VALID.replace("UTF-8", "UTF-16").encode("utf-8"),
    VALID.replace("UTF-8", "no-such-encoding").encode("utf-8"),
    VALID.encode("utf-16"),
    VALID.replace("UTF-8", "ISO-8859-1").encode("latin-1").replace(b"Jane", b"J\xe9\xff"),
    VALID.encode("latin-1").replace(b"Jane", b"J\xe9\xff"),
    b"\xef\xbb\xbf" + VALID.encode("utf-8"),
]


def prosecutor():
    return organisation_get_or_create(name="Metropolitan Police", kind=OrganisationKind.PROSECUTOR,
                                      actor=Actor.system())[0]


def rows() -> tuple[int, int, int]:
    return ProsecutionCase.objects.count(), Defendant.objects.count(), Offence.objects.count()


def assert_intake_creates_or_names_its_errors(data: bytes, *, count: bool = False) -> None:
    police = prosecutor()
    before = rows()
    # each example in a savepoint rolled back after it, so the examples are independent
    with transaction.atomic():
        try:
            outcome = spi_case_intake(data=data, prosecutor=police, actor=Actor.system("property test"))
        except ValidationFailed as failure:
            assert failure.errors, "a refusal names at least one field"
            if count:
                event(f"refused: {failure.errors[0].code}")
            for error in failure.errors:
                assert error.field and error.message and error.code, error
            assert rows() == before, "a refused message writes nothing"
        else:
            if count:
                event("imported")
            assert outcome.case.pk is not None
            assert ProsecutionCase.objects.filter(pk=outcome.case.pk).exists()
        transaction.set_rollback(True)


@FIXTURES
@given(damaged_messages())
def test_a_damaged_message_is_imported_or_refused_with_named_fields_never_a_crash(data):
    assert_intake_creates_or_names_its_errors(data, count=True)


@FIXTURES
@given(st.binary(max_size=600) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_random_bytes_are_refused_with_named_fields(data):
    with pytest.raises(ValidationFailed) as failure:
        spi_parse(data)
    assert failure.value.errors


@pytest.mark.parametrize("data", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_xml_is_refused_with_a_named_field_not_expanded_or_crashed(data):
    with pytest.raises(ValidationFailed) as failure:
        spi_parse(data)
    assert failure.value.errors
    assert all(error.field and error.message for error in failure.value.errors)


@pytest.mark.parametrize("data", ODD_ENCODINGS, ids=range(len(ODD_ENCODINGS)))
def test_odd_encodings_are_read_or_refused_with_a_named_field(data):
    assert_intake_creates_or_names_its_errors(data)


def test_the_undamaged_message_is_imported():
    # the property above is not vacuous: its starting point is a message that imports
    with transaction.atomic():
        outcome = spi_case_intake(data=VALID.encode(), prosecutor=prosecutor(), actor=Actor.system("test"))
        assert outcome.created and outcome.case.defendants.count() == 2
        transaction.set_rollback(True)
