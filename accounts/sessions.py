"""Keys this app keeps in the session and on the request."""

# When the session logged in and when it last made a request (seconds since the epoch).
LOGIN_AT_KEY = "accounts_login_at"
SEEN_AT_KEY = "accounts_seen_at"
# Set on the request by the login receiver; the middleware turns it into the language cookie.
LOGIN_LANGUAGE_ATTR = "_accounts_login_language"
