"""The profile editor staff and organization admins share: profile, channels, contacts."""

from django.forms.utils import ErrorDict, ErrorList

from .forms import ChannelFormSet, ContactFormSet

ROW_KINDS = ("channels", "contacts")


class ProfileEditor:
    """A profile form with its channel and contact formsets, bound to one request.

    A POST with ``add=channels`` (or ``contacts``) is not a save: it returns the same data with
    one more empty row, so typed text survives, with or without JavaScript (htmx swaps only the
    editor).
    """

    def __init__(self, request, *, organization, form_class):
        data = files = None
        self.adding = None
        if request.method == "POST":
            data, files = request.POST, request.FILES
            if data.get("add") in ROW_KINDS:
                self.adding = data["add"]
                data = data.copy()
                key = f"{self.adding}-TOTAL_FORMS"
                try:
                    data[key] = str(int(data.get(key, 0)) + 1)
                except ValueError:
                    data[key] = "1"
        self.form = form_class(data, files, instance=organization)
        self.channels = ChannelFormSet(
            data, instance=organization, prefix="channels", queryset=organization.channels.all()
        )
        self.contacts = ContactFormSet(
            data, instance=organization, prefix="contacts", queryset=organization.contacts.all()
        )
        if self.adding:
            # Adding a row is not a save: show the typed data without judging it yet.
            for form in [self.form, *self.channels.forms, *self.contacts.forms]:
                form._errors = ErrorDict()
            for formset in self.formsets:
                formset._non_form_errors = ErrorList()
                formset._errors = [ErrorDict() for _form in formset.forms]

    @property
    def formsets(self):
        return [self.channels, self.contacts]

    @property
    def is_saving(self) -> bool:
        return self.form.is_bound and not self.adding

    def is_valid(self) -> bool:
        results = [self.form.is_valid(), *(formset.is_valid() for formset in self.formsets)]
        return all(results)

    @property
    def has_errors(self) -> bool:
        return bool(
            self.form.errors
            or any(formset.total_error_count() for formset in self.formsets if formset.is_bound)
        )
