from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from onboarding import providers

        from .queries import count_attending_organizations

        # The onboarding funnel's last stage: organizations that attended a meeting.
        providers.register_attendance_count(count_attending_organizations)
