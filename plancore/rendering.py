"""How forms draw themselves: the portal's own field template, Django's widget templates."""

from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Every `{{ field.as_field_group }}` uses templates/forms/field.html, whatever the form's
    label_suffix: a label reads "Status", not "Status:"."""

    field_template_name = "forms/field.html"
