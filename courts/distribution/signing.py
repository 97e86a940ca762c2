"""How a receiver knows a message is ours: HMAC-SHA256 over "<timestamp>.<body>" with the partner's
secret, named by its key id; during a rotation the previous key signs too."""

import base64
import hashlib
import hmac

SIGNATURE_HEADER = "X-Courts-Signature"
TIMESTAMP_HEADER = "X-Courts-Timestamp"
KEY_ID_HEADER = "X-Courts-Key-Id"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signature_header(keys: list[tuple[str, str]], timestamp: str, body: bytes) -> str:
    """`keyid=sha256=…` for each (key id, secret), comma separated: the receiver checks any it knows."""
    return ", ".join(f"{key_id}={signature(secret, timestamp, body)}" for key_id, secret in keys)


def signature_valid(header: str, *, key_id: str, secret: str, timestamp: str, body: bytes) -> bool:
    expected = signature(secret, timestamp, body)
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == key_id and hmac.compare_digest(value, expected):
            return True
    return False


# The hearing-results document subscription contract's callback headers: X-Key-Id and X-Signature,
# base64 HMAC-SHA256 of the request body with the subscription's secret.
CONTRACT_KEY_ID_HEADER = "X-Key-Id"
CONTRACT_SIGNATURE_HEADER = "X-Signature"
CORRELATION_HEADER = "X-Correlation-Id"


def contract_signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
