"""`manage.py seed_demo [--scale N] [--seed S]`: demo data, built by each app's `demo` module.

Every project app may ship `<app>/demo.py` with `seed(*, run)` (the hand-made demo, run in
INSTALLED_APPS order so later apps can use earlier apps' rows) and optionally
`seed_history(*, run)` (months of history over everything the others made, run after every
app's `seed`) and `seed_bench(*, run)` (synthetic rows for --scale above 1). All must be
idempotent."""

import argparse
import importlib
import importlib.util
import logging
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, OutputWrapper
from wagtail.images import get_image_model

from cms.services import notifications_muted

PROGRESS_EVERY = 10_000


@dataclass
class DemoRun:
    """What one run of seed_demo shares with the apps' demo modules."""

    seed: int
    scale: int
    stdout: OutputWrapper
    shared: dict = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def rng(self, name: str) -> random.Random:
        """A generator per purpose, so one app's draws never shift another's."""
        return random.Random(f"{self.seed}:{name}")

    def login(self, username: str, password: str, note: str) -> None:
        self.logins.append((username, password, note))

    def note(self, message: str) -> None:
        self.stdout.write(f"  {message}")

    def progress(self, label: str, done: int, total: int) -> None:
        if done == total or done % PROGRESS_EVERY == 0:
            self.stdout.write(f"  {label}: {done:,} / {total:,}")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def demo_modules() -> list:
    """`<app>.demo` of every app that lives in this project, in INSTALLED_APPS order."""
    modules = []
    for app_config in apps.get_app_configs():
        if Path(app_config.path).parent != Path(settings.BASE_DIR):
            continue  # a third-party app, possibly inside .venv
        name = f"{app_config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


class Command(BaseCommand):
    help = "Create demo data (idempotent). --scale N adds synthetic rows for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=positive_int, default=1,
            help="1 for the demo; N > 1 brings the totals to 40*N enterprises and 400*N "
                 "products (250 gives 10,000 and 100,000).",
        )
        parser.add_argument("--seed", type=int, default=1,
                            help="Seed of the random values (default 1).")

    def handle(self, *args, scale: int, seed: int, **options):
        run = DemoRun(seed=seed, scale=scale, stdout=self.stdout)
        started = time.monotonic()
        # The inline task backend logs every search and reference index update: thousands here.
        task_log = logging.getLogger("django.tasks")
        level = task_log.level
        task_log.setLevel(logging.WARNING)
        try:
            with notifications_muted():
                self._seed(run)
        finally:
            task_log.setLevel(level)
        self._summary(run, time.monotonic() - started)

    def _seed(self, run: DemoRun) -> None:
        modules = demo_modules()
        for module in modules:
            self.stdout.write(f"Seeding {module.__name__} ...")
            module.seed(run=run)
        for module in modules:
            if hasattr(module, "seed_history"):
                self.stdout.write(f"Seeding the history of {module.__name__} ...")
                module.seed_history(run=run)
        if run.scale > 1:
            for module in modules:
                if hasattr(module, "seed_bench"):
                    self.stdout.write(f"Seeding {module.__name__} at scale {run.scale} ...")
                    module.seed_bench(run=run)

    def _summary(self, run: DemoRun, seconds: float) -> None:
        from enterprises.models import Enterprise, EnterpriseSkill, Region, Skill
        from marketplace.models import Category, Product, ProductPhoto

        counts = [
            ("regions", Region.objects.count()),
            ("users", get_user_model().objects.count()),
            ("enterprises", f"{Enterprise.objects.count():,}"),
            ("skills / offers",
             f"{Skill.objects.count()} / {EnterpriseSkill.objects.count()}"),
            ("categories", Category.objects.count()),
            ("products (active)", f"{Product.objects.count():,} "
                                  f"({Product.objects.filter(is_active=True).count():,})"),
            ("product photos / images", f"{ProductPhoto.objects.count():,} / "
                                        f"{get_image_model().objects.count():,}"),
        ]
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {seconds:.1f} s."))
        for label, value in counts:
            self.stdout.write(f"  {label:<24} {value}")
        self.stdout.write("Demo logins (for a local demo only; change or delete them anywhere "
                          "else):")
        for username, password, note in run.logins:
            self.stdout.write(f"  {username:<9} {password:<17} {note}")
