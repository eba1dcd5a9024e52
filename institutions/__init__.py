"""BiH institutions abroad: embassies, consulates and other offices that work with the diaspora.

A directory staff keep (by hand or from a CSV file), shown on its own public page, in the API and
on the profiles of organizations in the countries each institution covers.

No personal data lives here: an institution's phone, e-mail and address are those of an office,
published by the institution itself, not of a person. Nothing here is part of the privacy export
or erasure (privacy/providers.py), and everything stored is public apart from who changed it.

The app sits below ``organizations``: it imports none of the portal's product apps; the
organization profile asks ``institutions.queries`` for the institutions covering its country.
"""
