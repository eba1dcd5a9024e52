"""The embedded default's launcher (``python -m launcher.embedded``): starts PostgreSQL and Redis,
then web, worker and beat. It needs no Django and the portal's code never imports it."""
