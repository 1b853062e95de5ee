"""Demo orders for `manage.py seed_demo`: Dewi and other buyers order from several village
enterprises, and their orders stand in every state (awaiting a bank transfer, proof uploaded,
paid and confirmed, shipped, ready for pickup, completed with reviews and replies, cancelled,
partly refunded, cash on delivery); a year of completed sales makes monthly marketplace income;
members pay bulk-order allocations, and a roaster buys a joint offer whose revenue is shared.

Orders go through the order services, then their timestamps move into the past with update()
(and their income to the month they were completed). Each demo order has a fixed number, so a
rerun only adds the missing ones; what is bought is drawn with the run's seeded generator, and
the demo products' stock is put back afterwards (the sellers restocked), so the catalogue keeps
its planned values. Nobody is notified: hundreds of emails to demo users would flood the console
or the task queue. At --scale N, completed orders are bulk-inserted up to about 200 x N."""

from __future__ import annotations

import io
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cms.services import notifications_muted
from enterprises.demo import DEMO_PASSWORD
from enterprises.models import Cooperative, Enterprise, EnterpriseMember, IncomeRecord
from enterprises.services.income import income_add, month_start
from marketplace.models import (
    BulkOrder,
    Cart,
    CartLine,
    JointOffer,
    LedgerEntry,
    Order,
    OrderLine,
    OrderPart,
    PaymentMethod,
    Product,
    Refund,
    RevenueShare,
    Review,
)
from marketplace.services import orders as order_services
from marketplace.services import reviews as review_services
from marketplace.services.joint_offers import cooperative_seller_ensure

if TYPE_CHECKING:
    from cms.management.commands.seed_demo import DemoRun

BANK, CASH = PaymentMethod.BANK_TRANSFER, PaymentMethod.CASH
Status = OrderPart.Status
ORDERS_PER_SCALE = 200  # about this many orders in all per unit of --scale
# Completed (or cancelled) sales over the past year through the services, with reviews; the
# rest up to ORDERS_PER_SCALE x scale are bulk-inserted completed sales.
HISTORY_ORDERS = 30
HISTORY_DAYS = 365
GOLDEN_RATIO = 0.6180339887498949

# username: recipient, phone, address, village. Hendra is created here: a roaster in Semarang.
BUYERS = {
    "dewi": ("Dewi Lestari", "081298765432",
             "Toko Kado Lestari, Jl. Kemang Raya No. 21, Mampang Prapatan, Jakarta Selatan",
             "Bangka"),
    "hendra": ("Hendra Wijaya", "082134567890",
               "Sangrai Kopi Hendra, Jl. Pandanaran No. 88, Semarang Tengah, Kota Semarang",
               "Pekunden"),
    "rina": ("Rina Kusumawati", "085226781234",
             "Jl. Raya Wiradesa No. 5, Wiradesa, Kabupaten Pekalongan", "Wiradesa"),
    "ayu": ("Ayu Fitriani", "081390112233",
            "Jl. Troso Raya RT 03 RW 02, Pecangaan, Kabupaten Jepara", "Troso"),
    "eko": ("Eko Purnomo", "081233445566", "Jl. Sanan No. 12, Blimbing, Kota Malang",
            "Purwantoro"),
    "wayan": ("I Wayan Sudarma", "081338765400",
              "Banjar Kintamani, Kintamani, Kabupaten Bangli", "Kintamani"),
    "arif": ("Arif Nugroho", "081327654321",
             "Jl. Jend. Gatot Subroto No. 2, Purwokerto Timur, Kabupaten Banyumas",
             "Purwokerto Lor"),
    "lestari": ("Lestari Handayani", "087838221100",
                "Jl. Parangtritis Km 6, Sewon, Kabupaten Bantul", "Panggungharjo"),
}
# How often each buyer appears in the year of history.
BUYER_WEIGHTS = {"dewi": 6, "hendra": 2, "rina": 1, "ayu": 1, "eko": 1, "wayan": 1, "arif": 1,
                 "lestari": 1}

# Hand-made orders: key (fixes the number), buyer, days ago, payment, each seller's part state.
# States: placed, proof (transfer proof uploaded), paid (transfer confirmed), confirmed,
# shipped, ready (for pickup), completed, refunded (partly, then completed), cancelled (by the
# seller), withdrawn (cancelled by the buyer).
SCRIPTED = [
    ("dewi-menunggu-transfer", "dewi", 0.7, BANK, ("placed", "placed", "placed")),
    ("dewi-bukti-transfer", "dewi", 1.6, BANK, ("proof", "proof")),
    ("dewi-lunas", "dewi", 3, BANK, ("confirmed", "paid")),
    ("dewi-dikirim", "dewi", 5, BANK, ("shipped", "ready")),
    ("dewi-bayar-di-tempat", "dewi", 2, CASH, ("shipped",)),
    ("dewi-selesai", "dewi", 18, BANK, ("completed", "completed", "completed")),
    ("dewi-refund-sebagian", "dewi", 33, BANK, ("refunded", "completed")),
    ("dewi-dibatalkan-penjual", "dewi", 11, BANK, ("cancelled",)),
    ("dewi-dibatalkan-pembeli", "dewi", 9, BANK, ("withdrawn",)),
    ("dewi-cod-selesai", "dewi", 47, CASH, ("completed",)),
    ("dewi-dua-bulan-lalu", "dewi", 75, BANK, ("completed", "completed")),
    ("rina-siap-diambil", "rina", 2, BANK, ("ready",)),
    ("ayu-cod-dikonfirmasi", "ayu", 1, CASH, ("confirmed",)),
    ("eko-selesai", "eko", 26, BANK, ("completed",)),
    ("wayan-sebagian-batal", "wayan", 14, CASH, ("completed", "cancelled")),
]

# Members pay their bulk-order allocations: cooperative slug -> (key, payment, part state).
ALLOCATION_PAYMENTS = {
    "koperasi-kopi-sindoro-sumbing": [("alokasi-sindoro-1", BANK, "ready"),
                                      ("alokasi-sindoro-2", BANK, "proof")],
    "koperasi-umkm-banyumas-maju": [("alokasi-banyumas-1", CASH, "completed"),
                                    ("alokasi-banyumas-2", BANK, "placed")],
}
# Hendra buys the orderable joint offer: key, quantity, part state.
JOINT_OFFER_SALES = [("kopi-hijau-hendra-1", 120, "completed"),
                     ("kopi-hijau-hendra-2", 60, "completed"),
                     ("kopi-hijau-hendra-3", 40, "shipped")]

BANKS = ("BRI", "BNI", "Bank Mandiri", "BCA", "Bank Jateng", "BPD DIY", "BPD Bali", "BSI")
RATINGS = (5, 5, 5, 5, 5, 5, 4, 4, 4, 3, 3, 2)
REVIEW_TEXTS = {
    5: ("Barang sampai rapi dan cepat. Pelanggan toko saya suka sekali.",
        "Kualitas bagus, sesuai foto. Pasti pesan lagi.",
        "Penjual ramah dan cepat membalas. Kemasan aman sampai tujuan.",
        "Sudah langganan, rasanya selalu sama enaknya. Terima kasih!"),
    4: ("Bagus, hanya pengiriman agak lama.",
        "Sesuai pesanan, kemasannya bisa dibuat lebih tebal.",
        "Enak, satu bungkus agak remuk di jalan."),
    3: ("Lumayan, tapi ukurannya lebih kecil dari yang saya kira.",
        "Barang oke, balasan penjual agak lambat."),
    2: ("Warnanya tidak sama dengan di foto.",),
}
REPLIES = ("Terima kasih banyak, ditunggu pesanan berikutnya!",
           "Matur nuwun atas ulasannya. Masukan soal kemasan kami perbaiki.",
           "Terima kasih sudah percaya pada produk desa kami.",
           "Mohon maaf atas keterlambatannya, minggu depan kami tambah kurir.")
NOTES_TO_SELLER = ("", "", "", "Tolong dibungkus rapi, untuk hadiah.",
                   "Kirim sebelum tanggal 20 ya.", "Kalau bisa pakai kardus, bukan plastik.")
SELLER_CANCEL_REASONS = ("Stok habis karena pesanan borongan dari pasar.",
                         "Kurir ke alamat tujuan sedang tidak tersedia minggu ini.")
BUYER_CANCEL_REASON = "Salah pilih varian, saya pesan ulang."
REFUND_REASON = "Satu bungkus rusak saat dikemas, uangnya kami kembalikan."
BULK_KEY = "arsip"
# Allocation payments and joint-offer sales.
EXTRA_ORDERS = sum(map(len, ALLOCATION_PAYMENTS.values())) + len(JOINT_OFFER_SALES)


def order_number(key: str) -> str:
    """A fixed order number per demo order, in the format of real ones."""
    rng = random.Random(f"guyub-demo-order:{key}")
    return "GY-" + "".join(rng.choice(order_services.NUMBER_ALPHABET) for _ in range(8))


@dataclass
class PartPlan:
    enterprise_id: int
    lines: list[tuple[Product, int]]
    state: str
    pickup: bool
    note: str = ""
    review: tuple[int, str] | None = None
    reply: str = ""
    cancel_reason: str = ""
    with_proof: bool = False  # the buyer uploads a transfer proof before the seller confirms


@dataclass
class OrderPlan:
    key: str
    buyer: str
    at: datetime
    method: str
    parts: list[PartPlan] = field(default_factory=list)


@dataclass
class Context:
    """What the order plans draw from, and what seeding collects on the way."""

    now: datetime
    users: dict
    products: dict[int, list[Product]]  # orderable demo products by seller
    sellers: list[int]  # the sellers' ids, in slug order
    runners: dict[int, set[int]]  # user ids running each enterprise
    seller_users: dict = field(default_factory=dict)
    income_moves: dict = field(default_factory=lambda: defaultdict(int))
    proof: bytes = b""

    def seller_user(self, enterprise_id: int):
        if enterprise_id not in self.seller_users:
            self.seller_users[enterprise_id] = EnterpriseMember.objects.filter(
                enterprise_id=enterprise_id).select_related("user").order_by("pk").first().user
        return self.seller_users[enterprise_id]

    def sellers_for(self, username: str) -> list[int]:
        """Sellers the buyer may buy from: not an enterprise the buyer runs."""
        user_id = self.users[username].pk
        return [pk for pk in self.sellers if user_id not in self.runners.get(pk, ())]


# --- Planning ------------------------------------------------------------------------------------


def _lines(rng, products: list[Product], *, at_least_two: bool = False) -> list:
    count = 1 if rng.random() < 0.55 else 2
    chosen = rng.sample(products, min(count, len(products)))
    lines = []
    for product in chosen:
        quantity = max(product.min_order, rng.choice((1, 1, 2, 2, 3, 5)))
        if at_least_two and not lines:
            quantity = max(quantity, 2)
        lines.append((product, min(quantity, product.stock)))
    return lines


def _part(rng, ctx: Context, *, enterprise_id: int, state: str, reviewed: bool,
          replied: bool, with_proof: bool = False) -> PartPlan:
    products = ctx.products[enterprise_id]
    if state == "refunded":
        products = [p for p in products if p.stock >= max(2, p.min_order)] or products
    lines = _lines(rng, products, at_least_two=state == "refunded")
    pickup = state == "ready" or (state != "shipped" and rng.random() < 0.25)
    rating = rng.choice(RATINGS)
    return PartPlan(
        enterprise_id=enterprise_id, lines=lines, state=state, pickup=pickup,
        note=rng.choice(NOTES_TO_SELLER),
        review=(rating, rng.choice(REVIEW_TEXTS[rating])) if reviewed else None,
        reply=rng.choice(REPLIES) if replied else "",
        cancel_reason=rng.choice(SELLER_CANCEL_REASONS), with_proof=with_proof,
    )


def order_plans(*, rng, ctx: Context) -> list[OrderPlan]:
    """Every hand-made and history order, drawn in a fixed order whether or not it exists."""
    plans = []
    for key, buyer, days_ago, method, states in SCRIPTED:
        sellers = rng.sample(ctx.sellers_for(buyer), len(states))
        plan = OrderPlan(key=key, buyer=buyer, method=method,
                         at=ctx.now - timedelta(days=days_ago))
        for index, (seller, state) in enumerate(zip(sellers, states, strict=True)):
            reviewed = state in ("completed", "refunded")
            plan.parts.append(_part(rng, ctx, enterprise_id=seller, state=state,
                                    reviewed=reviewed, with_proof=True,
                                    replied=reviewed and (index == 0 or rng.random() < 0.5)))
        plans.append(plan)
    buyers = [name for name, weight in BUYER_WEIGHTS.items() for _ in range(weight)]
    for index in range(HISTORY_ORDERS):
        buyer = rng.choice(buyers)
        # More trade in recent months: the platform is growing.
        days_ago = 7 + int((HISTORY_DAYS - 8) * rng.random() ** 1.4)
        method = CASH if rng.random() < 0.25 else BANK
        count = 1 if rng.random() < 0.7 else 2
        plan = OrderPlan(key=f"riwayat-{index}", buyer=buyer, method=method,
                         at=ctx.now - timedelta(days=days_ago, hours=rng.randint(0, 12)))
        for seller in rng.sample(ctx.sellers_for(buyer), count):
            draw = rng.random()
            state = "cancelled" if draw < 0.06 else "refunded" if draw < 0.09 else "completed"
            reviewed = state != "cancelled" and rng.random() < 0.45
            plan.parts.append(_part(rng, ctx, enterprise_id=seller, state=state,
                                    reviewed=reviewed, replied=reviewed and rng.random() < 0.5))
        plans.append(plan)
    return plans


# --- Driving an order through the services -------------------------------------------------------


def _delivery(username: str) -> dict:
    recipient, phone, address, village = BUYERS[username]
    return {"recipient_name": recipient, "phone": phone, "address": address, "village": village,
            "notes": ""}


def _proof_image() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 320), (250, 250, 247))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 240, 48), fill=(18, 62, 120))
    draw.text((16, 16), "BUKTI TRANSFER", fill=(255, 255, 255))
    for row, text in enumerate(("Transfer berhasil", "Rekening tujuan", "Nominal", "Berita")):
        draw.text((16, 72 + row * 40), text, fill=(60, 60, 60))
        draw.line((16, 100 + row * 40, 224, 100 + row * 40), fill=(200, 200, 200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _drive(part: OrderPart, plan: PartPlan, *, method: str, buyer, ctx: Context) -> None:
    """Take a just-placed part to the planned state the way its buyer and seller would."""
    seller = ctx.seller_user(part.enterprise_id)
    state = plan.state
    if state == "placed":
        return
    if state == "withdrawn":
        order_services.order_part_cancel(part=part, user=buyer, reason=BUYER_CANCEL_REASON)
        return
    if state == "cancelled":
        order_services.order_part_cancel(part=part, user=seller, reason=plan.cancel_reason)
        return
    if method == BANK:
        if state == "proof" or plan.with_proof:
            order_services.transfer_proof_upload(
                part=part, user=buyer,
                file=ContentFile(ctx.proof or _proof_image(), name="bukti-transfer.jpg"))
        if state == "proof":
            return
        order_services.order_part_payment_confirm(part=part, user=seller)
        if state == "paid":
            return
    order_services.order_part_advance(part=part, user=seller, to_status=Status.CONFIRMED)
    if state == "confirmed":
        return
    line = part.lines.order_by("-quantity", "pk").first()
    if state == "refunded" and line.quantity > 1:  # one of several back, the rest is sent
        order_services.order_part_refund(part=part, user=seller, quantities={line.pk: 1},
                                         reason=REFUND_REASON)
    sent = Status.READY if plan.pickup else Status.SHIPPED
    order_services.order_part_advance(part=part, user=seller, to_status=sent)
    if state in ("shipped", "ready"):
        return
    # Buyers usually confirm receipt themselves; sellers close cash sales at the door.
    closer = seller if method == CASH else buyer
    order_services.order_part_advance(part=part, user=closer, to_status=Status.COMPLETED)
    if plan.review:
        rating, text = plan.review
        review = review_services.review_save(part=part, user=buyer, rating=rating, text=text)
        if plan.reply:
            review_services.review_reply(review=review, user=seller, reply=plan.reply)


@dataclass(frozen=True)
class Timeline:
    """When each step of a part happened, from the order's time, never after now."""

    at: datetime
    now: datetime
    pickup: bool = False

    def after(self, hours: float) -> datetime:
        return min(self.at + timedelta(hours=hours), self.now)

    @property
    def proof(self):
        return self.after(2)

    @property
    def paid(self):
        return self.after(5)

    @property
    def confirmed(self):
        return self.after(6)

    @property
    def refunded(self):
        return self.after(8)

    @property
    def cancelled(self):
        return self.after(9)

    @property
    def sent(self):
        return self.after(26)

    @property
    def completed(self):
        return self.after(50 if self.pickup else 74)

    @property
    def reviewed(self):
        return self.after(100)

    @property
    def replied(self):
        return self.after(124)


def _backdate(order: Order, *, at: datetime, ctx: Context) -> None:
    """Move the order's history to `at`: timestamps, ledger, refunds, shares, reviews; and note
    the income to move to the month the sale completed."""
    parts = list(OrderPart.objects.filter(order=order))
    paid_times = []
    for part in parts:
        times = Timeline(at=at, now=ctx.now, pickup=part.fulfilment == OrderPart.Fulfilment.PICKUP)
        paid = times.paid
        if part.paid_at and order.payment_method == CASH:
            paid = times.completed  # cash changes hands at the door
        changes = {"created_at": at}
        for name, value in (("proof_uploaded_at", times.proof), ("paid_at", paid),
                            ("confirmed_at", times.confirmed), ("sent_at", times.sent),
                            ("completed_at", times.completed), ("cancelled_at", times.cancelled)):
            if getattr(part, name):
                changes[name] = value
        OrderPart.objects.filter(pk=part.pk).update(**changes)
        if part.paid_at:
            paid_times.append(paid)
        # A refund's entries (money going back) are dated with it, the sale's with the payment.
        reversal = Q(kind=LedgerEntry.Kind.REFUND) | Q(amount__gt=0, kind__in=(
            LedgerEntry.Kind.FEE, LedgerEntry.Kind.PAYOUT))
        refund_time = times.cancelled if part.status == Status.CANCELLED else times.refunded
        LedgerEntry.objects.filter(part=part).filter(reversal).update(created_at=refund_time)
        LedgerEntry.objects.filter(part=part).exclude(reversal).update(created_at=paid)
        Refund.objects.filter(part=part).update(created_at=refund_time)
        RevenueShare.objects.filter(part=part).update(created_at=times.completed)
        Review.objects.filter(part=part).update(created_at=times.reviewed,
                                                updated_at=times.reviewed)
        Review.objects.filter(part=part, replied_at__isnull=False).update(
            replied_at=times.replied)
        if part.status == Status.COMPLETED:
            month = month_start(timezone.localdate(times.completed))
            if month != month_start(timezone.localdate(ctx.now)):
                ctx.income_moves[(part.enterprise_id, month)] += part.amount_due
    order_changes = {"created_at": at}
    if order.payment_method == BANK:
        order_changes["pay_by"] = at + timedelta(days=settings.BANK_TRANSFER_DAYS)
    if order.paid_at and paid_times:
        order_changes["paid_at"] = max(paid_times)
    Order.objects.filter(pk=order.pk).update(**order_changes)


def _place(plan: OrderPlan, *, ctx: Context) -> Order:
    buyer = ctx.users[plan.buyer]
    cart = Cart.objects.create()
    CartLine.objects.bulk_create(CartLine(cart=cart, product=product, quantity=quantity)
                                 for part in plan.parts for product, quantity in part.lines)
    order = order_services.order_place(
        buyer=buyer, cart=cart, payment_method=plan.method, delivery=_delivery(plan.buyer),
        parts={part.enterprise_id: {"fulfilment": "pickup" if part.pickup else "delivery",
                                    "note_to_seller": part.note} for part in plan.parts},
    )
    cart.delete()
    return order


def _create(plan: OrderPlan, *, ctx: Context, stock: dict[int, int]) -> None:
    with transaction.atomic():
        order = _place(plan, ctx=ctx)
        Order.objects.filter(pk=order.pk).update(number=order_number(plan.key))
        parts = {part.enterprise_id: part for part in order.parts.all()}
        buyer = ctx.users[plan.buyer]
        for part_plan in plan.parts:
            _drive(parts[part_plan.enterprise_id], part_plan, method=plan.method, buyer=buyer,
                   ctx=ctx)
        order.refresh_from_db()
        _backdate(order, at=plan.at, ctx=ctx)
        # The sellers restocked since: the catalogue keeps its planned stock.
        for part_plan in plan.parts:
            for product, _quantity in part_plan.lines:
                Product.objects.filter(pk=product.pk).update(stock=stock[product.pk])


# --- Cooperative money ---------------------------------------------------------------------------


def _bank_account(enterprise: Enterprise, *, rng) -> None:
    """A bank account for transfers, drawn for every enterprise; kept if one is set."""
    bank = rng.choice(BANKS)
    number = "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((10, 13, 15))))
    Enterprise.objects.filter(pk=enterprise.pk, bank_account_number="").update(
        bank_name=bank, bank_account_number=number, bank_account_name=enterprise.name[:120])


def _single_part_order(*, key: str, buyer, state: str, method: str, at: datetime,
                       ctx: Context, place) -> None:
    """An order of one part (an allocation or a joint-offer sale) driven to `state`."""
    with transaction.atomic():
        order = place()
        Order.objects.filter(pk=order.pk).update(number=order_number(key))
        part = order.parts.get()
        _drive(part, PartPlan(enterprise_id=part.enterprise_id, lines=[], state=state,
                              pickup=part.fulfilment == OrderPart.Fulfilment.PICKUP,
                              with_proof=True),
               method=method, buyer=buyer, ctx=ctx)
        order.refresh_from_db()
        _backdate(order, at=at, ctx=ctx)


def _allocation_payments(*, ctx: Context, run: DemoRun) -> int:
    created = 0
    for slug, payments in ALLOCATION_PAYMENTS.items():
        cooperative = Cooperative.objects.filter(slug=slug).first()
        bulk_order = cooperative and cooperative.bulk_orders.filter(
            status=BulkOrder.Status.CLOSED).order_by("pk").first()
        if bulk_order is None:
            continue
        with transaction.atomic():
            seller = cooperative_seller_ensure(cooperative=cooperative)
        _bank_account(seller, rng=run.rng(f"bank-account:{slug}"))
        seller_people = set(seller.memberships.values_list("user_id", flat=True))
        commitments = [
            commitment for commitment in bulk_order.commitments.filter(allocated__gt=0)
            .select_related("enterprise", "bulk_order").order_by("created_at", "pk")
            if not seller_people & set(commitment.enterprise.memberships.values_list(
                "user_id", flat=True))
        ]
        taken = set(Order.objects.filter(number__in=[order_number(key) for key, *_ in payments])
                    .values_list("number", flat=True))
        for (key, method, state), commitment in zip(payments, commitments, strict=False):
            if order_number(key) in taken:
                continue
            enterprise = commitment.enterprise
            buyer = enterprise.memberships.select_related("user").order_by("pk").first().user
            delivery = {"recipient_name": buyer.get_full_name() or enterprise.name,
                        "phone": enterprise.whatsapp or "081200000000",
                        "address": f"{enterprise.village}, {enterprise.district}",
                        "village": enterprise.village, "notes": ""}
            _single_part_order(
                key=key, buyer=buyer, state=state, method=method,
                at=max(bulk_order.closed_at or ctx.now, ctx.now - timedelta(hours=6)), ctx=ctx,
                place=lambda c=commitment, b=buyer, m=method, d=delivery:
                    order_services.order_place_for_commitment(
                        buyer=b, commitment=c, payment_method=m, delivery=d),
            )
            created += 1
    return created


def _joint_offer_sales(*, ctx: Context, run: DemoRun) -> int:
    joint_offer = JointOffer.objects.filter(
        status=JointOffer.Status.ORDERABLE, product__isnull=False,
        cooperative__slug="koperasi-kopi-sindoro-sumbing",
    ).select_related("product", "cooperative__seller").first()
    if joint_offer is None:
        return 0
    buyer = ctx.users["hendra"]
    _bank_account(joint_offer.cooperative.seller,
                  rng=run.rng(f"bank-account:{joint_offer.cooperative.slug}"))
    taken = set(Order.objects.filter(
        number__in=[order_number(key) for key, *_ in JOINT_OFFER_SALES]
    ).values_list("number", flat=True))
    created = 0
    for position, (key, quantity, state) in enumerate(JOINT_OFFER_SALES):
        if order_number(key) in taken:
            continue

        def place(quantity=quantity):
            cart = Cart.objects.create()
            CartLine.objects.create(cart=cart, product=joint_offer.product, quantity=quantity)
            order = order_services.order_place(
                buyer=buyer, cart=cart, payment_method=BANK, delivery=_delivery("hendra"),
                parts={joint_offer.product.enterprise_id: {
                    "fulfilment": "delivery",
                    "note_to_seller": "Karung goni 60 kg, kirim ke gudang sangrai."}},
            )
            cart.delete()
            return order

        _single_part_order(key=key, buyer=buyer, state=state, method=BANK,
                           at=ctx.now - timedelta(hours=30 - 10 * position), ctx=ctx,
                           place=place)
        created += 1
    return created


# --- Seeding -------------------------------------------------------------------------------------


def _users() -> dict:
    User = get_user_model()
    users = User.objects.in_bulk(list(BUYERS), field_name="username")
    if "hendra" not in users:
        # The demo password, hashed once already for the other demo users (hashing is slow).
        same = users.get("dewi")
        users["hendra"] = User.objects.create(
            username="hendra", first_name="Hendra", last_name="Wijaya",
            email="hendra@example.com",
            password=same.password if same else make_password(DEMO_PASSWORD),
        )
    return users


def _move_income(ctx: Context, *, had_this_month: set[int]) -> None:
    """Completion recorded each sale in this month; move it to the month it was completed."""
    this_month = month_start(timezone.localdate(ctx.now))
    for (enterprise_id, month), amount in sorted(ctx.income_moves.items()):
        enterprise = Enterprise(pk=enterprise_id)
        income_add(enterprise=enterprise, month=this_month, amount=-amount)
        income_add(enterprise=enterprise, month=month, amount=amount)
    IncomeRecord.objects.filter(
        month=this_month, source=IncomeRecord.Source.MARKETPLACE, amount=0,
    ).exclude(enterprise_id__in=had_this_month).delete()


def _context(run: DemoRun, *, now: datetime) -> Context:
    demo = sorted((enterprise for _spec, enterprise in run.shared.get("demo_enterprises", [])),
                  key=lambda enterprise: enterprise.slug)
    rng = run.rng("bank-accounts")
    for enterprise in demo:
        _bank_account(enterprise, rng=rng)
    products = defaultdict(list)
    for product in Product.objects.filter(
        enterprise__in=demo, is_active=True, enterprise__is_active=True,
        joint_offer__isnull=True, stock__gte=1,
    ).order_by("slug"):
        if product.stock >= product.min_order:
            products[product.enterprise_id].append(product)
    runners = defaultdict(set)
    for enterprise_id, user_id in EnterpriseMember.objects.filter(
        enterprise_id__in=list(products)
    ).values_list("enterprise_id", "user_id"):
        runners[enterprise_id].add(user_id)
    return Context(now=now, users=_users(), products=dict(products),
                   sellers=[enterprise.pk for enterprise in demo if enterprise.pk in products],
                   runners=dict(runners))


def seed(*, run: DemoRun) -> None:
    now = timezone.now()
    ctx = _context(run, now=now)
    if not ctx.products:
        return
    plans = order_plans(rng=run.rng("orders"), ctx=ctx)
    taken = set(Order.objects.filter(number__in=[order_number(p.key) for p in plans])
                .values_list("number", flat=True))
    stock = {product.pk: product.stock for products in ctx.products.values()
             for product in products}
    had_this_month = set(IncomeRecord.objects.filter(
        month=month_start(timezone.localdate(now)), source=IncomeRecord.Source.MARKETPLACE,
    ).values_list("enterprise_id", flat=True))
    ctx.proof = _proof_image()
    created = 0
    with notifications_muted():
        for plan in plans:
            if order_number(plan.key) in taken:
                continue
            try:
                _create(plan, ctx=ctx, stock=stock)
            except ValidationError as error:  # the catalogue was changed by hand since
                run.note(f"Order {plan.key} left out: {' '.join(error.messages)}")
            else:
                created += 1
        created += _allocation_payments(ctx=ctx, run=run)
        created += _joint_offer_sales(ctx=ctx, run=run)
        _move_income(ctx, had_this_month=had_this_month)
    bulk = ORDERS_PER_SCALE * run.scale - len(plans) - EXTRA_ORDERS
    created += seed_bulk(run=run, ctx=ctx, count=bulk)
    run.note(f"Orders: {created} created, {Order.objects.count()} in all.")


# --- Completed orders in bulk --------------------------------------------------------------------


def bulk_days_ago(index: int) -> int:
    """Spreads bulk orders evenly over the year for any count (the golden-ratio sequence), so
    a larger --scale adds orders to every month rather than only to recent ones."""
    return int((index * GOLDEN_RATIO) % 1 * HISTORY_DAYS)


def _bulk_buyers() -> list:
    return list(get_user_model().objects.filter(is_staff=False).order_by("username"))


def seed_bulk(*, run: DemoRun, ctx: Context, count: int) -> int:
    """`count` completed one-line orders spread evenly over the past year (older first), bulk
    inserted a day at a time: order, part, line and ledger rows as the services would leave a
    completed sale, and the income per seller and month. No stock is taken (long since
    restocked) and no reviews are written. Returns how many were created."""
    if count <= 0:
        return 0
    buyers = _bulk_buyers()
    sellers_of = {buyer.pk: [pk for pk in ctx.sellers if buyer.pk not in ctx.runners.get(pk, ())]
                  for buyer in buyers}
    by_day = defaultdict(list)
    for index in range(count):
        by_day[bulk_days_ago(index)].append(index)
    income = defaultdict(int)
    created = done = 0
    for days_ago, indices in sorted(by_day.items(), reverse=True):
        done += len(indices)
        at = min(timezone.localtime(ctx.now - timedelta(days=days_ago)).replace(
            hour=9, minute=0, second=0, microsecond=0), ctx.now - timedelta(hours=1))
        times = Timeline(at=at, now=ctx.now)
        numbers = {index: order_number(f"{BULK_KEY}-{index}") for index in indices}
        taken = set(Order.objects.filter(number__in=numbers.values())
                    .values_list("number", flat=True))
        drafts = []
        for index in indices:
            # One generator per order: its values stay the same whatever the scale.
            rng = run.rng(f"orders-bulk:{index}")
            buyer = rng.choice(buyers)
            seller = rng.choice(sellers_of[buyer.pk])
            product = rng.choice(ctx.products[seller])
            quantity = max(product.min_order, rng.choice((1, 1, 2, 3)))
            method = CASH if rng.random() < 0.25 else BANK
            if numbers[index] not in taken:
                drafts.append((numbers[index], buyer, seller, product, quantity, method))
        run.progress("orders", done, count)
        if not drafts:
            continue
        with transaction.atomic():
            orders = Order.objects.bulk_create(_bulk_order(draft, times) for draft in drafts)
            Order.objects.filter(pk__in=[order.pk for order in orders]).update(created_at=at)
            parts = OrderPart.objects.bulk_create(
                OrderPart(order=order, enterprise_id=seller, status=Status.COMPLETED,
                          subtotal=order.total, paid_at=times.paid if method == BANK
                          else times.completed, confirmed_at=times.confirmed,
                          sent_at=times.sent, completed_at=times.completed)
                for order, (_n, _b, seller, _p, _q, method) in zip(orders, drafts, strict=True)
            )
            OrderPart.objects.filter(pk__in=[part.pk for part in parts]).update(created_at=at)
            OrderLine.objects.bulk_create(
                OrderLine(part=part, product=product, title=product.title, unit=product.unit,
                          unit_price=product.price, quantity=quantity)
                for part, (_n, _b, _s, product, quantity, _m) in zip(parts, drafts, strict=True)
            )
            entries = LedgerEntry.objects.bulk_create(
                entry for part in parts for entry in (
                    LedgerEntry(enterprise_id=part.enterprise_id, part=part,
                                kind=LedgerEntry.Kind.SALE, amount=part.subtotal),
                    LedgerEntry(enterprise_id=part.enterprise_id, part=part,
                                kind=LedgerEntry.Kind.PAYOUT, amount=-part.subtotal,
                                method=LedgerEntry.Method.DIRECT),
                )
            )
            LedgerEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
                created_at=times.paid)
        month = month_start(timezone.localdate(times.completed))
        for part in parts:
            income[(part.enterprise_id, month)] += part.subtotal
        created += len(drafts)
    for (enterprise_id, month), amount in sorted(income.items()):
        income_add(enterprise=Enterprise(pk=enterprise_id), month=month, amount=amount)
    return created


def _bulk_order(draft, times: Timeline) -> Order:
    number, buyer, _seller, product, quantity, method = draft
    recipient, phone, address, village = BUYERS.get(buyer.username) or (
        buyer.get_full_name() or buyer.username, "081200000000", "", "")
    return Order(
        number=number, buyer=buyer, recipient_name=recipient, phone=phone, address=address,
        village=village, payment_method=method, total=product.price * quantity,
        payment_status=(Order.PaymentStatus.PAID if method == BANK
                        else Order.PaymentStatus.ON_DELIVERY),
        paid_at=times.paid if method == BANK else None,
        pay_by=times.at + timedelta(days=settings.BANK_TRANSFER_DAYS) if method == BANK
        else None,
    )
