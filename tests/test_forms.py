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
