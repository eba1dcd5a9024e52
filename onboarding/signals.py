"""What onboarding announces to the apps above it (they connect receivers; onboarding names none).

``consent_given(sender=Registration, user=…)``: the registration's consent step was accepted,
inside the transaction that saves the step; the privacy app records which notice the person
accepted (privacy/receivers.py).
"""

from django.dispatch import Signal

consent_given = Signal()
