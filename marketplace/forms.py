from django import forms
from django.utils.translation import gettext_lazy as _

from cms.forms import ImageUploadsField
from marketplace.models import Category, Product
from marketplace.services import MAX_PHOTOS


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.display_name} › {obj.display_name}" if obj.parent_id else str(obj)


class ProductForm(forms.ModelForm):
    category = CategoryChoiceField(
        queryset=Category.objects.filter(parent__isnull=False).select_related("parent")
        .order_by("parent__sort_order", "parent__name", "sort_order", "name"),
        label=_("Category"),
    )
    photo_uploads = ImageUploadsField(
        label=_("Photos"), required=False, max_files=MAX_PHOTOS,
        help_text=_("Take them with your phone camera or choose from the gallery."),
    )
    remove_photos = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Remove photos"),
    )

    class Meta:
        model = Product
        fields = ["title", "category", "description", "price", "unit", "stock", "min_order",
                  "is_active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "price": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "stock": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "min_order": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.photos.exists():
            self.fields["remove_photos"].queryset = self.instance.photos.select_related("image")
        else:
            del self.fields["remove_photos"]

    def clean(self):
        cleaned = super().clean()
        kept = len(self.instance.photos.all()) if self.instance.pk else 0
        kept -= len(cleaned.get("remove_photos") or [])
        if kept + len(cleaned.get("photo_uploads") or []) > MAX_PHOTOS:
            self.add_error(
                "photo_uploads",
                _("A product can have at most %(count)d photos.") % {"count": MAX_PHOTOS},
            )
        return cleaned
