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


def keyed_token(purpose: str, value: str) -> tuple[str, str]:
    """Return the token for ``value`` derived with the site's secret key, and its hash.

    For links sent more than once (a meeting invitation and its updates carry the same RSVP
    link): the token is recomputed when needed instead of being stored, so the database still
    holds only the hash, and without the secret key no working link can be made from it.
    """
    from django.utils.crypto import salted_hmac

    token = salted_hmac(f"diaspora_portal.tokens.{purpose}", value, algorithm="sha256").hexdigest()
    return token, token_hash(token)
