from typing import Protocol


class PaymentProvider(Protocol):
    """What the order services need from a way of paying. Amounts are whole rupiah; a provider
    converts at its own edge."""

    name: str

    def start(self, *, order, success_url: str, cancel_url: str) -> str | None:
        """Begin paying for a just-placed order: the URL to send the buyer to, or None when
        nothing happens online (the order page then explains how to pay)."""

    def refund(self, *, part, amount: int, idempotency_key: str) -> str:
        """Give `amount` of `part` back to the buyer; returns the provider's refund id ('' when
        the seller refunds by hand). Called inside the refund's transaction: must be safe to
        repeat with the same key."""

    def pay_out(self, *, part) -> str:
        """Send the seller their share of a paid part when the provider can (a Stripe transfer
        to a connected account); returns its id, or '' when the platform pays by hand."""

    def reverse_pay_out(self, *, part, amount: int, idempotency_key: str) -> str:
        """Take `amount` back from the seller's payout of `part` after a refund ('' if none)."""
