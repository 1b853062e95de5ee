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
    # Where buyers paying by bank transfer send the money (the manual payment provider).
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_account_number = models.CharField(
        _("account number"), max_length=30, blank=True,
        validators=[RegexValidator(r"^\d{5,30}$", _("Digits only, as in the bank book."))],
    )
    bank_account_name = models.CharField(_("account holder"), max_length=120, blank=True)
    # Stripe Connect Express account; payouts_enabled mirrors Stripe's account.updated events.
    stripe_account_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_payouts_enabled = models.BooleanField(default=False)
    # Kept by marketplace.services.reviews.
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    rating_total = models.PositiveIntegerField(default=0, editable=False)

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
    def accepts_bank_transfer(self) -> bool:
        return bool(self.bank_name and self.bank_account_number and self.bank_account_name)

    @property
    def rating(self) -> float | None:
        return self.rating_total / self.rating_count if self.rating_count else None

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


# --- Cooperatives -------------------------------------------------------------------------------


class Cooperative(models.Model):
    """A koperasi: enterprises that share equipment, buy and sell together, and decide together."""

    name = models.CharField(_("name"), max_length=140)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    province = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"),
        limit_choices_to={"level": Region.Level.PROVINCE},
    )
    regency = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="cooperatives",
        verbose_name=_("regency or city"), limit_choices_to={"level": Region.Level.REGENCY},
    )
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    statutes = models.TextField(
        _("rules (statutes)"), blank=True,
        help_text=_("The cooperative's rules (anggaran dasar), as members agreed them."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("logo"),
    )
    seller = models.OneToOneField(
        Enterprise, on_delete=models.SET_NULL, null=True, blank=True, related_name="seller_for",
        verbose_name=_("trading enterprise"),
        help_text=_("The enterprise through which the cooperative sells its joint offers."),
    )
    joint_offer_fee_percent = models.PositiveSmallIntegerField(
        _("fee on joint sales (%)"), default=5, validators=[MaxValueValidator(50)],
        help_text=_("The cooperative's share of joint-offer revenue."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperative_detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    """An enterprise's membership of a cooperative, from application or invitation to leaving.
    Rows are never deleted: the network analysis reads who was a member when."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member (anggota)")
        MANAGER = "manager", _("Manager (pengurus)")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    OPEN_STATUSES = (Status.APPLIED, Status.INVITED, Status.ACTIVE)

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="memberships"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="cooperative_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    requested_at = models.DateTimeField(_("applied or invited at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True, db_index=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        ordering = ["cooperative", "-joined_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "enterprise"],
                condition=models.Q(status__in=["applied", "invited", "active"]),
                name="one_open_membership",
            ),
            models.CheckConstraint(
                condition=models.Q(status="active", joined_at__isnull=False, left_at__isnull=True)
                | ~models.Q(status="active"),
                name="active_membership_has_joined",
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "status"], name="membership_coop_status")]

    def __str__(self) -> str:
        return f"{self.enterprise} ∈ {self.cooperative} ({self.get_status_display()})"


class SharedResource(models.Model):
    """Equipment, a vehicle or a space the cooperative's members share."""

    class Kind(models.TextChoices):
        EQUIPMENT = "equipment", _("Equipment")
        VEHICLE = "vehicle", _("Vehicle")
        SPACE = "space", _("Space")

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    usage_rules = models.TextField(_("usage rules"), blank=True)
    cost_per_use = models.PositiveIntegerField(_("cost per use (Rp)"), default=0)
    cost_per_hour = models.PositiveIntegerField(_("cost per hour (Rp)"), default=0)
    is_active = models.BooleanField(_("available for booking"), default=True)

    class Meta:
        ordering = ["cooperative", "name"]
        verbose_name = _("shared resource")
        verbose_name_plural = _("shared resources")

    def __str__(self) -> str:
        return self.name


class Booking(models.Model):
    """A member's time slot on a shared resource. No two confirmed bookings of one resource
    overlap: an exclusion constraint on PostgreSQL, a locked check in the service elsewhere."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    resource = models.ForeignKey(SharedResource, on_delete=models.CASCADE, related_name="bookings")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="bookings")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    cost = models.PositiveIntegerField(_("cost (Rp)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["resource", "status", "starts_at"], name="booking_resource_time"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.starts_at:%Y-%m-%d %H:%M}"


class Proposal(models.Model):
    """A question put to the members: one member enterprise, one vote."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for voting")
        CLOSED = "closed", _("Decided")

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("proposal"))
    raised_by = models.ForeignKey(
        Enterprise, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("raised by"),
    )
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (%)"), default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of members who must vote for the result to count."),
    )
    pass_threshold_percent = models.PositiveSmallIntegerField(
        _("pass threshold (%)"), default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The winning option needs more than this share of the votes cast, "
                    "abstentions not counted."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    eligible_count = models.PositiveIntegerField(_("members eligible"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    passed_option = models.ForeignKey(
        "ProposalOption", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="proposal_closes_after_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalOption(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=120)
    is_abstain = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.label


class Vote(models.Model):
    """The vote of one member enterprise; changeable until the proposal closes."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(ProposalOption, on_delete=models.CASCADE, related_name="votes")
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "enterprise"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.option}"


# --- Income ------------------------------------------------------------------------------------


class IncomeRecord(models.Model):
    """An enterprise's income for one month from one source. Marketplace sales are recorded
    automatically and kept apart from what the enterprise reports or a programme imports, so the
    network analysis can use each source on its own."""

    class Source(models.TextChoices):
        MARKETPLACE = "marketplace", _("Sales on Guyub")
        SELF_REPORTED = "self_reported", _("Reported by the enterprise")
        IMPORTED = "imported", _("Imported by a programme")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE,
                                   related_name="income_records")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    source = models.CharField(_("source"), max_length=15, choices=Source.choices)
    amount = models.BigIntegerField(_("income (Rp)"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["enterprise", "month", "source"]
        verbose_name = _("income record")
        verbose_name_plural = _("income records")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month", "source"],
                                    name="one_income_record_per_month_and_source"),
        ]
        indexes = [models.Index(fields=["month", "source"], name="income_by_month")]
        permissions = [
            ("view_network_report",
             _("Can see the network report and every enterprise's income (program officer)")),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.month:%Y-%m} {self.source}: {self.amount}"


# --- Ties --------------------------------------------------------------------------------------


class Tie(models.Model):
    """A relationship between two enterprises, or from an enterprise to a buyer it brought in.
    Directed kinds point from the giver (referrer, supplier, mentor) to the receiver; undirected
    kinds are stored once, lower id first. Each real tie is one row, whatever made it again
    (a second shared event does not add a second co-attendance tie)."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("Referral (rujukan)")
        SUPPLIER = "supplier", _("Supplier")
        CUSTOMER = "customer", _("Customer")
        COLLABORATION = "collaboration", _("Collaboration")
        MENTORING = "mentoring", _("Mentoring")
        CO_MEMBERSHIP = "co_membership", _("Members of the same cooperative")
        CO_ATTENDANCE = "co_attendance", _("Attended the same event")

    DIRECTED_KINDS = frozenset({Kind.REFERRAL, Kind.SUPPLIER, Kind.CUSTOMER, Kind.MENTORING})

    class Origin(models.TextChoices):
        EXPLICIT = "explicit", _("Stated by the enterprises")
        AUTOMATIC = "automatic", _("Recorded from activity on Guyub")

    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    from_enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE,
                                        related_name="ties_out")
    to_enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, null=True,
                                      blank=True, related_name="ties_in")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                                blank=True, related_name="ties_in")
    # What first made the tie, e.g. "event:12" or "mentoring:5".
    evidence = models.CharField(_("evidence"), max_length=80, blank=True)
    started_on = models.DateField(_("started on"), db_index=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_enterprise__isnull=False, to_user__isnull=True)
                | models.Q(to_enterprise__isnull=True, to_user__isnull=False),
                name="tie_has_one_other_end",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_enterprise=models.F("to_enterprise")),
                name="tie_not_to_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["referral", "supplier", "customer", "mentoring"])
                | models.Q(to_enterprise__isnull=True)
                | models.Q(from_enterprise__lt=models.F("to_enterprise")),
                name="undirected_tie_lower_id_first",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="tie_ends_after_start",
            ),
            models.UniqueConstraint(fields=["kind", "from_enterprise", "to_enterprise"],
                                    condition=models.Q(to_enterprise__isnull=False),
                                    name="one_tie_per_kind_and_pair"),
            models.UniqueConstraint(fields=["kind", "from_enterprise", "to_user"],
                                    condition=models.Q(to_user__isnull=False),
                                    name="one_tie_per_kind_and_buyer"),
            # "Referred by" names one referrer, for an enterprise and for a buyer.
            models.UniqueConstraint(fields=["to_enterprise"],
                                    condition=models.Q(kind="referral",
                                                       to_enterprise__isnull=False),
                                    name="one_referrer_per_enterprise"),
            models.UniqueConstraint(fields=["to_user"],
                                    condition=models.Q(kind="referral", to_user__isnull=False),
                                    name="one_referrer_per_buyer"),
        ]
        indexes = [
            models.Index(fields=["kind", "started_on"], name="tie_kind_start"),
            models.Index(fields=["to_enterprise", "kind"], name="tie_to_kind"),
        ]

    def __str__(self) -> str:
        other_end = self.to_enterprise_id or f"user {self.to_user_id}"
        return f"{self.from_enterprise_id} -{self.kind}-> {other_end}"


class Invite(models.Model):
    """A link an enterprise shares (/join/<code>/). Whoever signs up through it, and the
    enterprise they then start, is recorded as referred by the inviting enterprise."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="invites")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invite link")
        verbose_name_plural = _("invite links")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.code}"


class CollaborationRequest(models.Model):
    """"We work together": one enterprise states it, the other confirms; only a confirmed
    request becomes a collaboration tie."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    from_enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE,
                                        related_name="collaborations_asked")
    to_enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE,
                                      related_name="collaborations_received")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    note = models.CharField(_("how you work together"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("collaboration request")
        verbose_name_plural = _("collaboration requests")
        constraints = [
            models.CheckConstraint(condition=~models.Q(from_enterprise=models.F("to_enterprise")),
                                   name="collaboration_not_with_itself"),
            models.UniqueConstraint(fields=["from_enterprise", "to_enterprise"],
                                    condition=models.Q(status="pending"),
                                    name="one_pending_collaboration_request"),
        ]
        indexes = [models.Index(fields=["to_enterprise", "status"],
                                name="collaboration_inbox")]

    def __str__(self) -> str:
        return f"{self.from_enterprise_id} -> {self.to_enterprise_id} ({self.status})"


# --- Network metrics ---------------------------------------------------------------------------


class NetworkSnapshot(models.Model):
    """One computation of the network metrics (enterprises.network), made by a background task.
    Pages read the latest finished snapshot instead of computing on request."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Computing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    progress = models.CharField(_("progress"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Platform figures: counts, components, clustering, ties gained by month, brokerage shares.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"
        verbose_name = _("network snapshot")
        verbose_name_plural = _("network snapshots")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.status}"


class NetworkPosition(models.Model):
    """An enterprise's place in the network in one snapshot."""

    # No FK indexes: the unique (snapshot, enterprise) and position_enterprise cover both, and
    # 100,000 rows are written per snapshot.
    snapshot = models.ForeignKey(NetworkSnapshot, on_delete=models.CASCADE,
                                 related_name="positions", db_index=False)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE,
                                   related_name="network_positions", db_index=False)
    degree = models.PositiveIntegerField(_("ties"), default=0)
    degree_by_kind = models.JSONField(_("ties by kind"), default=dict, blank=True)
    component_size = models.PositiveIntegerField(_("size of its connected group"), default=1)
    clustering = models.FloatField(_("clustering"), default=0.0)
    betweenness = models.FloatField(_("betweenness (approximate)"), default=0.0)
    # Brokerage: how many other villages and cooperatives its direct ties reach.
    villages_reached = models.PositiveIntegerField(_("other villages reached"), default=0)
    cooperatives_reached = models.PositiveIntegerField(_("other cooperatives reached"),
                                                       default=0)

    class Meta:
        ordering = ["snapshot", "-degree"]
        verbose_name = _("network position")
        verbose_name_plural = _("network positions")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "enterprise"],
                                    name="one_position_per_snapshot"),
        ]
        indexes = [models.Index(fields=["enterprise", "snapshot"], name="position_enterprise")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} in {self.snapshot_id}: {self.degree}"
