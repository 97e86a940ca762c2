"""Formats and check characters of the identifiers that follow a defendant through the criminal
justice system. Each returns the normalised value or raises ValueError with a message for the user."""

import re

# The check-character alphabet of the ASN, the PNC ID and the CRO number: 23 letters, no I, O or S.
CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"

# PTI-URN: 2-digit force or prosecutor code, 2-character unit, 5-digit case number, 2-digit year.
URN_PATTERN = re.compile(r"^[0-9]{2}[A-Z0-9]{2}[0-9]{7}$")
# Full ASN (Bichard 7 `isAsnFormatValid`): year, force, unit (and optional extra unit character),
# system, 11-digit sequence, check character.
ASN_PATTERN = re.compile(r"^[0-9]{2}[A-Z0-9]{6,7}[0-9]{11}[A-HJ-NP-RT-Z]$")
# The short, slashed form people type: 11/01ZD/01/448754K.
ASN_SHORT_PATTERN = re.compile(r"^([0-9]{2})/?([0-9]{2}[A-Z0-9]{2,3})/?([0-9]{2})/?([0-9]{1,11})([A-HJ-NP-RT-Z])$")
PNC_PATTERN = re.compile(r"^([0-9]{2}([0-9]{2}))/?([0-9]{7})([A-Z])$")
CRO_PATTERN = re.compile(r"^[0-9]{1,6}/[0-9]{2}[A-Z]$|^SF[0-9]{2}/[0-9]{1,6}[A-Z]$")


def normalise_urn(value: str) -> str:
    urn = value.strip().upper().replace(" ", "")
    if not URN_PATTERN.match(urn):
        raise ValueError(
            "Enter a URN of 11 characters: 2 digits, 2 letters or digits, then 7 digits, like 01AB1234521"
        )
    return urn


def asn_check_character(asn_without_check: str) -> str:
    """Bichard 7's algorithm: force and system digits, year, 11-digit sequence, modulo 23."""
    year, force, system, sequence = (
        asn_without_check[0:2],
        asn_without_check[2:4],
        asn_without_check[6:8],
        asn_without_check[8:],
    )
    digits = lambda s: s if s.isdigit() else ""  # noqa: E731
    number = f"{digits(force)}{digits(system)}{year}{int(sequence):011d}"
    return CHECK_LETTERS[int(number) % 23]


def normalise_asn(value: str) -> str:
    """Return the full 20-character ASN for either the full or the slashed short form."""
    raw = value.strip().upper().replace(" ", "")
    if ASN_PATTERN.match(raw):
        asn = raw
    elif (m := ASN_SHORT_PATTERN.match(raw)) and "/" in raw:
        year, force_unit, system, sequence, check = m.groups()
        asn = f"{year}{force_unit}{system}{int(sequence):011d}{check}"
    else:
        raise ValueError("Enter an Arrest/Summons Number like 1101ZD0100000448754K or 11/01ZD/01/448754K")
    if asn_check_character(asn[:-1]) != asn[-1]:
        raise ValueError(f"The ASN's check character is wrong: {asn[-1]} should be {asn_check_character(asn[:-1])}")
    return asn


def pnc_check_character(year: str, serial: str) -> str:
    return CHECK_LETTERS[int(year[-2:] + serial) % 23]


def normalise_pnc_id(value: str) -> str:
    """Return the PNC ID as YYYY/NNNNNNNC after checking its check letter."""
    raw = value.strip().upper().replace(" ", "")
    m = PNC_PATTERN.match(raw)
    if not m:
        raise ValueError("Enter a PNC ID of a 4-digit year, 7 digits and a letter, like 2004/0046583U")
    year, _, serial, check = m.groups()
    if pnc_check_character(year, serial) != check:
        raise ValueError(f"The PNC ID's check letter is wrong: {check} should be {pnc_check_character(year, serial)}")
    return f"{year}/{serial}{check}"


def normalise_cro_number(value: str) -> str:
    cro = value.strip().upper().replace(" ", "")
    if not CRO_PATTERN.match(cro):
        raise ValueError("Enter a CRO number like 123456/08X or SF08/12345A")
    return cro
