"""The portal's form renderer: one error summary, each error listed once."""

from django import forms


class _FormWithHiddenField(forms.Form):
    name = forms.CharField(label="Name", error_messages={"required": "Give a name."})
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_token(self):
        raise forms.ValidationError("The token has expired.")


def test_error_summary_lists_a_hidden_field_error_once():
    form = _FormWithHiddenField(data={"name": "", "token": "x"})

    html = form.render()

    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert summary.count("The token has expired.") == 1
    assert summary.count("Give a name.") == 1
    assert 'href="#id_name"' in summary
    assert 'href="#id_token"' not in summary


def test_the_country_select_renders_exactly_as_django_does_in_each_language_and_value():
    from django import forms as django_forms
    from django.utils import translation
    from django_countries import countries

    from core.forms import CountrySelect

    choices = [("", "All")]
    for language, value, attrs in [
        ("bs", "", {"id": "id_country"}),
        ("bs", "DE", {"id": "id_country"}),
        ("en", "DE", {"id": "id_country"}),
        ("bs", "DE", {"id": "id_country", "aria-invalid": "true"}),
    ]:
        with translation.override(language):
            cached = CountrySelect(choices=choices + list(countries))
            plain = django_forms.Select(choices=choices + list(countries))
            twice = [cached.render("country", value, attrs) for _ in range(2)]
            assert twice[0] == twice[1] == plain.render("country", value, attrs)

    with translation.override("bs"):
        bosnian = CountrySelect(choices=list(countries)).render("country", "DE")
    with translation.override("en"):
        english = CountrySelect(choices=list(countries)).render("country", "DE")
    assert 'value="DE" selected>Njemačka<' in bosnian
    assert 'value="DE" selected>Germany<' in english
