from django import forms

from .models import User


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ("full_name", "preferred_language")
        widgets = {"preferred_language": forms.RadioSelect}
