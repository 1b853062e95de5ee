from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _
from wagtail.images.fields import WagtailImageField


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email"), help_text=_("For resetting your password. We never share it.")
    )
    first_name = forms.CharField(label=_("Your name"), max_length=150)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("first_name", "username", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email already exists."))
        return email


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImageUploadsField(WagtailImageField):
    """Several photos at once, each checked by Wagtail for format, size and pixel count."""

    def __init__(self, *args, max_files: int = 8, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("At most %(count)d photos at a time.") % {"count": self.max_files}
            )
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(ImageUploadsField, self).clean(item, initial) for item in files]
