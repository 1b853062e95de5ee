from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page

from enterprises import selectors as enterprise_selectors
from marketplace import selectors as product_selectors

HOME_PRODUCT_COUNT = 8
HOME_ENTERPRISE_COUNT = 6


class HomePage(Page):
    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = RichTextField(_("hero text"), blank=True, features=["bold", "italic", "link"])
    hero_image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("hero image"),
    )
    featured_products = ParentalManyToManyField(
        "marketplace.Product", blank=True, verbose_name=_("featured products"),
        help_text=_("Leave empty to show the newest products automatically."),
    )
    featured_enterprises = ParentalManyToManyField(
        "enterprises.Enterprise", blank=True, verbose_name=_("featured enterprises"),
        help_text=_("Leave empty to show active enterprises automatically."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading=_("Hero"),
        ),
        FieldPanel("featured_products"),
        FieldPanel("featured_enterprises"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["products"] = product_selectors.product_list_featured(
            chosen_ids=list(self.featured_products.values_list("pk", flat=True)),
            limit=HOME_PRODUCT_COUNT,
        )
        context["enterprises"] = enterprise_selectors.enterprise_list_featured(
            chosen_ids=list(self.featured_enterprises.values_list("pk", flat=True)),
            limit=HOME_ENTERPRISE_COUNT,
        )
        context["categories"] = product_selectors.category_list_top()
        # Knowledge, events and discussions in the active language.
        from knowledge.selectors.connections import home_connections

        context["community"] = home_connections(locale=Locale.get_active())
        return context


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    tagline = models.CharField(
        _("tagline"), max_length=160, default="Pasar gotong royong untuk usaha desa"
    )
    contact_whatsapp = models.CharField(_("contact WhatsApp"), max_length=16, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    footer_text = models.CharField(_("footer text"), max_length=240, blank=True)

    panels = [
        FieldPanel("tagline"),
        FieldPanel("contact_whatsapp"),
        FieldPanel("contact_email"),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("site settings")


class Notification(models.Model):
    """Something a user should know: an allocation, a booking, a new proposal, a result.
    Shown in /notifications/ and, unless the kind is quiet, also sent by email."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.title
