import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import AuditEntry


class EraseAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data are erased for good."),
        error_messages={"required": _("Tick the box to confirm that you want to erase it.")},
    )


class UserByEmailForm(forms.Form):
    """A member of staff names the account a request is about."""

    email = forms.EmailField(label=_("E-mail address of the account"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account has this e-mail address."))
        self.user = user
        return email


class StaffErasureForm(UserByEmailForm):
    confirm = forms.BooleanField(
        label=_("The person asked for the erasure and the request has been checked."),
        error_messages={"required": _("Confirm that the request has been checked.")},
    )

    def __init__(self, *args, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by

    def clean_email(self):
        email = super().clean_email()
        if self.by is not None and self.user.pk == self.by.pk:
            raise forms.ValidationError(
                _("Erase your own account from your account settings, not here.")
            )
        if self.user.is_superuser:
            raise forms.ValidationError(_("A superuser's account is erased in the Django admin."))
        return email


class AuditFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditEntry.Action.choices)
    actor = django_filters.CharFilter(
        label=_("Who (e-mail address)"), method="filter_actor", max_length=254
    )
    obj = django_filters.CharFilter(
        label=_("Object"), field_name="object_label", lookup_expr="icontains", max_length=200
    )
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Until"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = []

    def filter_actor(self, queryset, name, value):
        # An erased account is found by the pseudonym the log shows in its place.
        return queryset.filter(Q(actor__email__icontains=value) | Q(actor_ref=value.strip()))
