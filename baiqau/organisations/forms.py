from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OrganisationType
from .validators import bin_validator


class OrganisationForm(forms.Form):
    bin = forms.CharField(
        label=_("BIN"),
        max_length=20,
        validators=[bin_validator],
        help_text=_(
            "Business identification number: 12 digits, as on the registration certificate."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    org_type = forms.ChoiceField(
        label=_("Organisation type"), choices=OrganisationType.choices, widget=forms.RadioSelect
    )
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=300, required=False)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    city = forms.CharField(label=_("City or region"), max_length=100, required=False)
    email = forms.EmailField(label=_("Organisation's e-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not any(data.get(f"name_{code}") for code in ("kk", "ru", "en")):
            self.add_error("name_kk", _("Give the organisation's name in at least one language."))
        return data


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the owner (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
