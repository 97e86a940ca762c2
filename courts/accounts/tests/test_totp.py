"""RFC 6238 TOTP, checked against the RFC's own test vectors (Appendix B, HMAC-SHA-1)."""

import base64

import pytest

from courts.accounts import totp

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"), (1234567890, "89005924"),
     (2000000000, "69279037"), (20000000000, "65353130")],
)
def test_given_the_rfc_6238_sha1_key_when_coding_a_time_then_the_eight_digits_match_appendix_b(unix_time, code):
    assert totp.totp(RFC_SECRET, unix_time, digits=8) == code


def test_six_digit_codes_are_the_last_six_of_the_eight():
    assert totp.totp(RFC_SECRET, 59) == "287082"


def test_a_code_matches_within_one_step_either_way_and_not_beyond():
    code = totp.totp(RFC_SECRET, 1111111109)
    assert totp.totp_match(RFC_SECRET, code, 1111111109) == totp.step_at(1111111109)
    assert totp.totp_match(RFC_SECRET, code, 1111111109 + 30) is not None
    assert totp.totp_match(RFC_SECRET, code, 1111111109 - 30) is not None
    assert totp.totp_match(RFC_SECRET, code, 1111111109 + 90) is None


def test_a_code_is_good_once():
    code = totp.totp(RFC_SECRET, 1111111109)
    step = totp.totp_match(RFC_SECRET, code, 1111111109)
    assert totp.totp_match(RFC_SECRET, code, 1111111109, after_step=step) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "28708 2x"])
def test_anything_but_six_digits_never_matches(code):
    assert totp.totp_match(RFC_SECRET, code, 59) is None


def test_a_new_secret_is_160_bits_of_base32():
    secret = totp.secret_generate()
    assert len(secret) == 32
    assert len(base64.b32decode(secret)) == 20
    assert secret != totp.secret_generate()


def test_the_setup_link_is_the_key_uri_format():
    uri = totp.otpauth_uri("JBSWY3DPEHPK3PXP", account="adviser", issuer="Courts")
    assert uri == ("otpauth://totp/Courts%3Aadviser?secret=JBSWY3DPEHPK3PXP&issuer=Courts&algorithm=SHA1"
                   "&digits=6&period=30")
    assert totp.secret_grouped("JBSWY3DPEHPK3PXP") == "JBSW Y3DP EHPK 3PXP"
