"""Secret links (invitations, RSVPs): the token goes out in an e-mail, only its hash is stored."""

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """Return a new unguessable token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    """Return the hash under which ``token`` is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()
