"""`manage.py network_metrics [--samples N] [--seed S]`: compute a network snapshot now, in this
process (the page queues the same work for the background worker)."""

from django.core.management.base import BaseCommand, CommandError

from enterprises.models import NetworkSnapshot
from enterprises.network import BETWEENNESS_SAMPLES, network_metrics_compute


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Compute the network metrics now (a new snapshot), printing progress."

    def add_arguments(self, parser):
        parser.add_argument("--samples", type=positive_int, default=None,
                            help="Sources sampled for betweenness (default "
                                 "settings.NETWORK_BETWEENNESS_SAMPLES, else "
                                 f"{BETWEENNESS_SAMPLES}; exact when at least the enterprises).")
        parser.add_argument("--seed", type=int, default=0,
                            help="Seed of the sampled sources (default 0).")

    def handle(self, *args, samples: int | None, seed: int, **options):
        snapshot = NetworkSnapshot.objects.create()
        snapshot = network_metrics_compute(snapshot=snapshot, samples=samples, seed=seed,
                                           on_progress=lambda text: self.stdout.write(f"  {text}"))
        if snapshot.status != NetworkSnapshot.Status.DONE:
            raise CommandError(f"Network metrics failed: {snapshot.error}")
        summary = snapshot.summary
        self.stdout.write(self.style.SUCCESS(f"Snapshot {snapshot.pk} done in "
                                             f"{summary['seconds']:.2f} s."))
        lines = [
            ("enterprises", f"{summary['enterprises']:,}"),
            ("ties (pairs)", f"{summary['ties']:,}"),
            ("components", f"{summary['components']:,} (largest {summary['largest_component']:,},"
                           f" isolated {summary['isolated']:,})"),
            ("mean degree", f"{summary['mean_degree']:.2f}"),
            ("transitivity", f"{summary['transitivity']:.4f}"),
            ("cross-village ties", f"{summary['cross_village_share']:.1%}"),
            ("cross-cooperative ties", f"{summary['cross_cooperative_share']:.1%} of "
                                       f"{summary['cooperative_ties']:,} between members"),
            ("phases (s)", ", ".join(f"{name} {seconds:.2f}"
                                     for name, seconds in summary["phases"].items())),
        ]
        for label, value in lines:
            self.stdout.write(f"  {label:<24} {value}")
