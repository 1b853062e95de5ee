"""factory_boy factories for every model tests touch. Regions and categories are reused by slug."""

import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.images import get_image_model

from enterprises.apps import PROGRAM_OFFICERS_GROUP
from enterprises.models import (
    CollaborationRequest,
    Cooperative,
    Enterprise,
    EnterpriseMember,
    EnterpriseSkill,
    IncomeRecord,
    Invite,
    Membership,
    Region,
    Sector,
    Skill,
    Tie,
)
from knowledge.models import (
    ArticlePage,
    EventPage,
    ForumCategory,
    MentoringOffer,
    Post,
    Thread,
    Topic,
)
from knowledge.services.pages import page_add, section_page
from marketplace.models import Cart, CartLine, Category, Product, ProductPhoto
from marketplace.services import product_search_document


def image_bytes(width=40, height=30, fmt="JPEG", color=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, fmt)
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", "sandi-rahasia-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = "Jawa Tengah"
    slug = factory.LazyAttribute(lambda r: r.name.lower().replace(" ", "-"))
    level = Region.Level.PROVINCE


class RegencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = "Kabupaten Banyumas"
    slug = factory.LazyAttribute(lambda r: r.name.lower().replace(" ", "-"))
    level = Region.Level.REGENCY
    parent = factory.SubFactory(ProvinceFactory)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"Usaha {n}")
    slug = factory.Sequence(lambda n: f"usaha-{n}")
    sector = Sector.FOOD
    description = "Usaha rumahan di desa."
    regency = factory.SubFactory(RegencyFactory)
    province = factory.LazyAttribute(lambda e: e.regency.parent)
    village = "Desa Karangsari"
    district = "Kecamatan Kembaran"
    whatsapp = "6281234567890"
    bank_name = "BRI"
    bank_account_number = "0123456789012"
    bank_account_name = factory.LazyAttribute(lambda e: e.name)


class EnterpriseMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseMember

    enterprise = factory.SubFactory(EnterpriseFactory)
    user = factory.SubFactory(UserFactory)


def seller(**enterprise_fields):
    """A user who runs a fresh enterprise: returns (user, enterprise)."""
    membership = EnterpriseMemberFactory(enterprise=EnterpriseFactory(**enterprise_fields))
    return membership.user, membership.enterprise


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    name = "Menjahit"
    name_en = "Sewing"
    slug = factory.LazyAttribute(lambda s: s.name.lower().replace(" ", "-"))


class EnterpriseSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseSkill

    enterprise = factory.SubFactory(EnterpriseFactory)
    skill = factory.SubFactory(SkillFactory)
    description = "Jahit seragam dan tas kain."
    rate = 25000


class TopCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = "Makanan & Minuman"
    name_en = "Food & Drink"
    slug = "makanan-minuman"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = "Keripik"
    name_en = "Chips"
    slug = factory.LazyAttribute(lambda c: c.name.lower().replace(" ", "-"))
    parent = factory.SubFactory(TopCategoryFactory)


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_image_model()

    title = "Foto produk"
    file = factory.LazyFunction(
        lambda: ImageFile(io.BytesIO(image_bytes()), name="foto.jpg")
    )


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    enterprise = factory.SubFactory(EnterpriseFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Keripik Singkong {n}")
    slug = factory.Sequence(lambda n: f"keripik-singkong-{n}")
    description = "Renyah, gurih, tanpa pengawet."
    price = 15000
    unit = "pack"
    stock = 20
    min_order = 1
    search_document = factory.LazyAttribute(product_search_document)


class ProductPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductPhoto

    product = factory.SubFactory(ProductFactory)
    image = factory.SubFactory(ImageFactory)
    sort_order = 0


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"Koperasi Tani {n}")
    slug = factory.Sequence(lambda n: f"koperasi-tani-{n}")
    description = "Koperasi petani kopi."
    regency = factory.SubFactory(RegencyFactory)
    province = factory.LazyAttribute(lambda c: c.regency.parent)


class MembershipFactory(factory.django.DjangoModelFactory):
    """An active membership by default."""

    class Meta:
        model = Membership

    cooperative = factory.SubFactory(CooperativeFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)


def cooperative_member(cooperative, *, role=Membership.Role.MEMBER):
    """A user running an enterprise that is an active member of `cooperative`.

    Returns (user, enterprise)."""
    user, enterprise = seller()
    MembershipFactory(cooperative=cooperative, enterprise=enterprise, role=role)
    return user, enterprise


DELIVERY = {"recipient_name": "Dewi Lestari", "phone": "081234567890",
            "address": "Jl. Kemang Raya 10, Jakarta Selatan", "village": "Bangka", "notes": ""}


def cart_with(*lines, user=None) -> Cart:
    """A cart holding (product, quantity) pairs; the user's own cart when `user` is given."""
    cart = Cart.objects.get_or_create(user=user)[0] if user else Cart.objects.create()
    CartLine.objects.bulk_create(
        CartLine(cart=cart, product=product, quantity=quantity) for product, quantity in lines
    )
    return cart


def placed_order(*lines, buyer=None, method="bank_transfer", **options):
    """An order placed through the real service for (product, quantity) pairs (one product from
    a new seller by default)."""
    from marketplace.services.orders import order_place

    buyer = buyer or UserFactory()
    lines = lines or ((ProductFactory(), 2),)
    return order_place(buyer=buyer, cart=cart_with(*lines, user=buyer), payment_method=method,
                       delivery=dict(DELIVERY), **options)


# --- Knowledge, events, forum, mentoring ---------------------------------------------------------


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = "Perizinan"
    name_en = "Permits"
    slug = factory.LazyAttribute(lambda t: t.name.lower().replace(" ", "-"))


def article(*, publish: bool = True, owner=None, **fields) -> ArticlePage:
    """A published article under /knowledge/ (with its English alias), or a draft."""
    fields.setdefault("title", "Cara mengurus P-IRT")
    fields.setdefault("slug", slugify(fields["title"]))
    fields.setdefault("summary", "Langkah demi langkah mengurus izin P-IRT.")
    fields.setdefault("topic", TopicFactory())
    fields.setdefault("body", [("text", "<p>Siapkan KTP dan foto dapur.</p>")])
    page = ArticlePage(owner=owner, **fields)
    return page_add(parent=section_page("KnowledgeIndexPage"), page=page, user=owner,
                    publish=publish)


def event(**fields) -> EventPage:
    """A published event under /events/ (with its English alias), next week by default."""
    starts = fields.pop("starts_at", timezone.now() + timezone.timedelta(days=7))
    fields.setdefault("title", "Pelatihan foto produk")
    fields.setdefault("slug", slugify(fields["title"]))
    fields.setdefault("kind", EventPage.Kind.TRAINING)
    fields.setdefault("summary", "Belajar memotret produk dengan ponsel.")
    fields.setdefault("venue", "Balai Desa Karangsari")
    fields.setdefault("ends_at", starts + timezone.timedelta(hours=3))
    page = EventPage(starts_at=starts, **fields)
    return page_add(parent=section_page("EventIndexPage"), page=page)


class ForumCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumCategory
        django_get_or_create = ("slug",)

    name = "Tanya jawab usaha"
    name_en = "Business questions"
    slug = factory.LazyAttribute(lambda c: c.name.lower().replace(" ", "-"))


class ThreadFactory(factory.django.DjangoModelFactory):
    """A thread with its opening post (`ThreadFactory(opening_post__body="...")`)."""

    class Meta:
        model = Thread
        skip_postgeneration_save = True

    category = factory.SubFactory(ForumCategoryFactory)
    enterprise = None
    title = factory.Sequence(lambda n: f"Pertanyaan {n}")
    author = factory.SubFactory(UserFactory)
    last_activity_at = factory.LazyFunction(timezone.now)
    opening_post = factory.RelatedFactory(
        "tests.factories.PostFactory", factory_related_name="thread",
        author=factory.SelfAttribute("..author"), enterprise=factory.SelfAttribute("..enterprise"),
        body="Bagaimana cara menghitung harga grosir?",
    )


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory, opening_post=None)
    author = factory.SubFactory(UserFactory)
    body = "Coba hitung biaya per bungkus dulu."


class MentoringOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringOffer

    mentor = factory.SubFactory(EnterpriseFactory)
    skill = factory.SubFactory(SkillFactory)
    description = "Foto produk dengan ponsel dan cahaya jendela."


# --- Network (issue 6) -------------------------------------------------------------------------


def program_officer(**user_fields):
    """A user in the "Program officers" group (made by post_migrate): sees /network/ and
    enterprises' income, without being staff."""
    from django.contrib.auth.models import Group

    from enterprises.apps import _ensure_program_officers

    _ensure_program_officers()  # after a transactional test's flush the group is gone
    user = UserFactory(**user_fields)
    user.groups.add(Group.objects.get(name=PROGRAM_OFFICERS_GROUP))
    return user


class TieFactory(factory.django.DjangoModelFactory):
    """An undirected collaboration tie by default; pass kind= and the ends as needed (undirected
    kinds need the lower id first, which tie_record does for you)."""

    class Meta:
        model = Tie

    kind = Tie.Kind.COLLABORATION
    origin = Tie.Origin.EXPLICIT
    from_enterprise = factory.SubFactory(EnterpriseFactory)
    to_enterprise = factory.SubFactory(EnterpriseFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate())


class IncomeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncomeRecord

    enterprise = factory.SubFactory(EnterpriseFactory)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    source = IncomeRecord.Source.SELF_REPORTED
    amount = 1_500_000


class InviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invite

    code = factory.Sequence(lambda n: f"ajak{n:06d}")
    enterprise = factory.SubFactory(EnterpriseFactory)


class CollaborationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollaborationRequest

    from_enterprise = factory.SubFactory(EnterpriseFactory)
    to_enterprise = factory.SubFactory(EnterpriseFactory)
