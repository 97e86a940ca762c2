"""Partner secrets (signing secrets, bearer tokens) encrypted at rest with `courts.common.secrets`:
they must be recoverable to sign, so they cannot be hashed."""

from courts.common.secrets import seal, unseal

PURPOSE = "partner"


def secret_encrypt(plain: str) -> str:
    return seal(plain, purpose=PURPOSE)


def secret_decrypt(token: str) -> str:
    return unseal(token, purpose=PURPOSE)
