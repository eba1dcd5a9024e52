from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Render every form the same way: error summary, labels, hints, errors next to fields."""

    form_template_name = "includes/forms/form.html"
    field_template_name = "includes/forms/field.html"
