"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 30-second steps,
6 digits, as every authenticator app (Microsoft, Google, Authy, FreeOTP) expects by default."""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# A code from the step before or after the current one is accepted, for clocks a little apart.
DRIFT_STEPS = 1


def secret_generate() -> str:
    """A new shared secret: 160 random bits (RFC 4226's recommended length) in base32, no padding."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret_b32: str) -> bytes:
    cleaned = secret_b32.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def step_at(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def totp(secret_b32: str, unix_time: float, *, digits: int = DIGITS) -> str:
    return hotp(_key(secret_b32), step_at(unix_time), digits=digits)


def totp_match(secret_b32: str, code: str, unix_time: float, *, after_step: int = 0) -> int | None:
    """The step whose code `code` is, within the allowed drift and later than `after_step` (a code is
    good once), or None."""
    code = code.replace(" ", "").strip()
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret_b32)
    now_step = step_at(unix_time)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def otpauth_uri(secret_b32: str, *, account: str, issuer: str) -> str:
    """The Key Uri Format that authenticator apps read (from a QR code, or pasted)."""
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret_b32, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS,
                       "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"


def secret_grouped(secret_b32: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret_b32[i:i + 4] for i in range(0, len(secret_b32), 4))
