import pytest

from courts.cases import identifiers


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1101ZD0100000448754K", "1101ZD0100000448754K"),  # Bichard 7's own test ASN
        ("11/01ZD/01/448754K", "1101ZD0100000448754K"),  # the slashed short form people type
        (" 1101zd0100000448754k ", "1101ZD0100000448754K"),
    ],
)
def test_asn_is_normalised_to_its_full_form(value, expected):
    assert identifiers.normalise_asn(value) == expected


@pytest.mark.parametrize("value", ["1101ZD0100000448754A", "1101ZD01000004487540", "ASN", "", "11/01ZD/01/448754I"])
def test_asn_with_wrong_check_character_or_shape_is_rejected(value):
    with pytest.raises(ValueError):
        identifiers.normalise_asn(value)


def test_pnc_id_check_letter():
    assert identifiers.normalise_pnc_id("2004/0046583U") == "2004/0046583U"
    assert identifiers.normalise_pnc_id("20040046583u") == "2004/0046583U"
    with pytest.raises(ValueError, match="check letter"):
        identifiers.normalise_pnc_id("2004/0046583A")
    with pytest.raises(ValueError):
        identifiers.normalise_pnc_id("04/46583U")


@pytest.mark.parametrize("value", ["01AB1234521", "01ab1234521", "42ZZ0000119"])
def test_urn_in_pti_format_is_accepted(value):
    assert identifiers.normalise_urn(value) == value.upper()


@pytest.mark.parametrize("value", ["", "01AB123452", "01AB12345211", "AB011234521", "01AB12345X1"])
def test_urn_in_other_shapes_is_rejected(value):
    with pytest.raises(ValueError):
        identifiers.normalise_urn(value)


def test_cro_number_formats():
    assert identifiers.normalise_cro_number("123456/08x") == "123456/08X"
    assert identifiers.normalise_cro_number("SF08/12345A") == "SF08/12345A"
    with pytest.raises(ValueError):
        identifiers.normalise_cro_number("CROnumber0")
