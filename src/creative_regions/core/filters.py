"""Filter fields shared by every app's FilterSet."""

import django_filters
from django import forms


class TextField(forms.CharField):
    """Free text from a query string, with NUL characters dropped: they cannot be
    stored or searched, and refusing the whole request for them helps nobody."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\x00", "") if value else value


class TextFilter(django_filters.CharFilter):
    field_class = TextField
