from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
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


class PhotoField(WagtailImageField):
    """Wagtail's checks (format, size, pixel count) plus a full decode, so a truncated or corrupt
    camera file is a form message here rather than an error when renditions are made. Limits are
    read per upload so a settings change applies without a restart."""

    damaged_message = _(
        "This photo could not be read; it may be damaged. Please take or choose it again."
    )

    def __init__(self, *args, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail writes its own help text (formats, size limit); keep ours in front of it.
        if help_text:
            self.help_text = format_lazy("{} {}", help_text, self.help_text)

    def to_python(self, data):
        self.max_upload_size = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
        self.max_image_pixels = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
        self.max_upload_size_text = filesizeformat(self.max_upload_size)
        uploaded = super().to_python(data)
        if uploaded is None:
            return None
        try:
            with PILImage.open(uploaded) as image:
                image.load()
        except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as exc:
            raise forms.ValidationError(self.damaged_message, code="invalid_image") from exc
        finally:
            uploaded.seek(0)
        return uploaded

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except (OSError, SyntaxError, ValueError) as exc:
            # Willow decodes the whole image to count frames; a damaged file fails there.
            raise forms.ValidationError(self.damaged_message, code="invalid_image") from exc


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImageUploadsField(PhotoField):
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
