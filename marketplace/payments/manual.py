from marketplace.payments.base import PaymentProvider


class ManualProvider(PaymentProvider):
    """Bank transfer and cash: the buyer pays each seller directly and the seller confirms it, so
    nothing is sent anywhere and refunds are handed back by the seller."""

    name = "manual"

    def start(self, *, order, success_url: str, cancel_url: str) -> str | None:
        return None

    def refund(self, *, part, amount: int, idempotency_key: str) -> str:
        return ""

    def pay_out(self, *, part) -> str:
        return ""

    def reverse_pay_out(self, *, part, amount: int, idempotency_key: str) -> str:
        return ""
