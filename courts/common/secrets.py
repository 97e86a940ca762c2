"""Small secrets encrypted at rest (Fernet: AES-128-CBC with HMAC-SHA256), one key per purpose.

The key comes from COURTS_SECRETS_KEY (a Fernet key), else is derived from the Django SECRET_KEY;
either way `purpose` separates the keys, so a value sealed for one use cannot be opened as another.
Losing the key loses the secrets, never exposes them."""

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretUnreadable(RuntimeError):
    """A stored secret sealed under a key this deployment no longer has."""


def _fernet(purpose: str) -> Fernet:
    root = os.environ.get("COURTS_SECRETS_KEY") or settings.SECRET_KEY
    digest = hashlib.sha256(f"{purpose}:".encode() + root.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(plain: str, *, purpose: str) -> str:
    return _fernet(purpose).encrypt(plain.encode()).decode() if plain else ""


def unseal(token: str, *, purpose: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(purpose).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable(f"A stored {purpose} secret cannot be decrypted: the secrets key changed") from error
