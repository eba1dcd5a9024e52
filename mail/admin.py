from django.contrib import admin

from .models import OutgoingEmail

# Bodies and attachments carry reset links and personal data: nobody reads them here.
_HIDDEN = {"body_text", "body_html", "attachments"}


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "language"]
    search_fields = ["to", "subject"]
    fields = [f.name for f in OutgoingEmail._meta.fields if f.name not in _HIDDEN | {"id"}]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
