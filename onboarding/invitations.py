"""What an invitation to join pre-fills in the guided registration."""


def initial_for(registration, step: str) -> dict:
    """Return the initial values of ``step`` known from the invitation that led here."""
    return {}
