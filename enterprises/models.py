from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class BilingualNameMixin(models.Model):
    """Reference data named in Indonesian, with an optional English name for /en/."""

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Region(models.Model):
    """An administrative area: provinsi > kabupaten/kota. Districts and villages are free text on
    the enterprise, as no offline list of Indonesia's 80,000 villages ships with Guyub."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province (provinsi)")
        REGENCY = "regency", _("Regency or city (kabupaten/kota)")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("part of"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="province", parent__isnull=True)
                | models.Q(level="regency", parent__isnull=False),
                name="region_regency_has_province",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    COFFEE = "coffee", _("Coffee")
    FOOD = "food", _("Processed food and snacks")
    BATIK = "batik", _("Batik and woven cloth")
    CRAFT = "craft", _("Crafts (bamboo, rattan, wood)")
    HONEY = "honey", _("Honey and forest products")
    TAILORING = "tailoring", _("Tailoring and fashion")
    FARMING = "farming", _("Farming and fresh produce")
    FISHERIES = "fisheries", _("Fisheries")
    SERVICES = "services", _("Services")


whatsapp_validator = RegexValidator(
    r"^62\d{8,13}$",
    _("Write the number in international form starting with 62, e.g. 6281234567890."),
)


class Enterprise(index.Indexed, models.Model):
    """A micro-enterprise (usaha mikro): a household business, a workshop, a farm group."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, db_index=True)
    description = models.TextField(_("description"), blank=True)
    province = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"),
        limit_choices_to={"level": Region.Level.PROVINCE},
    )
    regency = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="enterprises",
        verbose_name=_("regency or city"), limit_choices_to={"level": Region.Level.REGENCY},
    )
    district = models.CharField(_("district (kecamatan)"), max_length=120, blank=True)
    village = models.CharField(_("village (desa/kelurahan)"), max_length=120, blank=True)
    whatsapp = models.CharField(
        _("WhatsApp number"), max_length=16, blank=True, validators=[whatsapp_validator]
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("logo"),
    )
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    people = models.PositiveSmallIntegerField(
        _("people working"), default=1, help_text=_("Including the owner.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="EnterpriseMember", related_name="enterprises"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("sector"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [models.Index(Lower("name"), name="enterprise_name_lower")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprise_detail", kwargs={"slug": self.slug})

    @property
    def location(self) -> str:
        parts = [self.village, self.district, self.regency.name]
        return ", ".join(part for part in parts if part)


class EnterpriseMember(models.Model):
    """A user who runs an enterprise. One user may run several; several may run one."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OWNER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise member")
        verbose_name_plural = _("enterprise members")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise}"


class Skill(BilingualNameMixin):
    """A kind of work an enterprise can do for others: sewing, packaging design, bookkeeping."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class EnterpriseSkill(models.Model):
    """A service an enterprise offers, with an optional rate."""

    class RateUnit(models.TextChoices):
        HOUR = "hour", _("per hour")
        DAY = "day", _("per day")
        PIECE = "piece", _("per piece")
        JOB = "job", _("per job")
        KG = "kg", _("per kg")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="offers",
                              verbose_name=_("skill"))
    description = models.TextField(_("what you offer"), blank=True)
    rate = models.PositiveIntegerField(_("rate (Rp)"), null=True, blank=True)
    rate_unit = models.CharField(
        _("rate unit"), max_length=10, choices=RateUnit.choices, default=RateUnit.JOB
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["skill__name"]
        verbose_name = _("skill offered")
        verbose_name_plural = _("skills offered")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "skill"], name="one_offer_per_skill")
        ]

    def __str__(self) -> str:
        return f"{self.skill} – {self.enterprise}"
