"""Partner secrets encrypted at rest (Fernet: AES-128-CBC with HMAC-SHA256). The key comes from
COURTS_SECRETS_KEY, else is derived from the Django SECRET_KEY: losing it loses the secrets, never
exposes them."""

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    key = os.environ.get("COURTS_SECRETS_KEY")
    if key:
        return Fernet(key.encode())
    digest = hashlib.sha256(b"courts.distribution.secrets:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def secret_encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def secret_decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise RuntimeError("A partner secret cannot be decrypted: COURTS_SECRETS_KEY or SECRET_KEY changed") from error
