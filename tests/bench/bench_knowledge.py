"""Forum, knowledge base and events benchmark on PostgreSQL (`make bench`).

Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/guyub_bench), creating the
database if missing, and migrates it. The first run makes its rows (all named "bench-knowledge…"):
300 users; a forum category with 20,000 threads and 100,000 posts (one thread with 200 replies,
activity spread over a year); 300 articles in three topics; 500 events (100 upcoming) with RSVPs,
one of them with 300; and an event with 10 places for the RSVP race. Later runs reuse them (the
events' dates are moved so that 100 stay upcoming), which takes seconds instead of minutes.

Then, in-process with Django's test client (DEBUG off), it times the forum, knowledge and events
pages and APIs: median and 95th percentile latency in ms, SQL time and queries per request; checks
that query counts stay flat when the rows shown grow; EXPLAINs the forum category query; and
starts BENCH_RACERS (default 50) people at once, each in its own thread and connection, on
rsvp_join for the event with 10 places (must give 10 going, the rest waiting). The race's RSVPs are
deleted again. Figures are printed and written to bench-results/knowledge.txt.

BENCH_REQUESTS (default 30) sets the timed requests per case, after BENCH_WARMUP (default 3).

    .venv/bin/python tests/bench/bench_knowledge.py
"""

import logging
import os
import random
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from tests.bench.run import DEFAULT_URL, ensure_database, measure, set_up_django  # noqa: E402

PREFIX = "bench-knowledge"
USERS = 300
THREADS = 20_000
POSTS = 100_000  # opening posts included
BIG_THREAD_REPLIES = 200
SMALL_THREAD_REPLIES = 3
ARTICLES = 300
TOPICS = 3
EVENTS = 500
UPCOMING = 100
BIG_EVENT_RSVPS = 300
RACE_CAPACITY = 10
SLOW_MS = 200

FORUM_WORD = "keripik"  # in about a quarter of the bench posts
MISSING_WORD = "durian"  # in none of them: the search reads every post
ARTICLE_WORD = "fermentasi"  # in every third article
WORDS = (
    "harga grosir tempe kemasan izin halal pemasaran koperasi modal bahan gula kelapa kopi madu "
    "batik pesanan reseller ongkir pasar desa warung sambal kerupuk tahu rempah jahe kunyit "
    "anyaman bambu pupuk panen beras minyak label foto ponsel pelanggan arisan simpanan pinjaman "
    f"{FORUM_WORD}"
).split()
# Set when this run made rows: the whole database is ANALYZEd then, as autovacuum would later.
MADE = {"rows": False}
FIRST_NAMES = ["Sari", "Eko", "Darsih", "Wulan", "Budi", "Agus", "Siti", "Rina", "Joko", "Tuti",
               "Wayan", "Made", "Nyoman", "Asep", "Ujang", "Dewi", "Yanti", "Slamet", "Ratna"]


def say(message: str) -> None:
    print(message, flush=True)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


# --- Rows ----------------------------------------------------------------------------------------


def users_ensure(kind: str, count: int) -> list:
    """`count` users named {PREFIX}-{kind}-NNN (made once, without usable passwords)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    names = [f"{PREFIX}-{kind}-{n:03d}" for n in range(count)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    if len(have) < count:
        MADE["rows"] = True
        User.objects.bulk_create([
            User(username=name, first_name=FIRST_NAMES[n % len(FIRST_NAMES)], password="!",
                 email=f"{name}@example.com")
            for n, name in enumerate(names) if name not in have
        ])
    return list(User.objects.filter(username__in=names).order_by("username"))


def forum_delete(category) -> None:
    from django.db import connection, transaction

    statements = [
        "UPDATE knowledge_thread SET accepted_post_id = NULL WHERE category_id = %(category)s",
        "DELETE FROM knowledge_post_mentions WHERE post_id IN (SELECT p.id FROM knowledge_post p "
        "JOIN knowledge_thread t ON t.id = p.thread_id WHERE t.category_id = %(category)s)",
        "DELETE FROM knowledge_postreport WHERE post_id IN (SELECT p.id FROM knowledge_post p "
        "JOIN knowledge_thread t ON t.id = p.thread_id WHERE t.category_id = %(category)s)",
        "DELETE FROM knowledge_post WHERE thread_id IN "
        "(SELECT id FROM knowledge_thread WHERE category_id = %(category)s)",
        "DELETE FROM knowledge_thread WHERE category_id = %(category)s",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, {"category": category.pk})


def forum_ensure(users):
    """The bench category with THREADS threads and POSTS posts; the thread with 200 replies and
    one with 3."""
    from django.db import connection, transaction
    from django.utils import timezone

    from knowledge.models import ForumCategory, Post, Thread

    category, _ = ForumCategory.objects.get_or_create(
        slug=PREFIX, defaults={"name": "Bench: forum besar", "name_en": "Bench: big forum",
                               "sort_order": 99})
    threads = Thread.objects.filter(category=category)
    if (threads.count() == THREADS
            and Post.objects.filter(thread__category=category).count() == POSTS):
        return category, *_forum_samples(category)
    say(f"Forum: making {THREADS:,} threads and {POSTS:,} posts ...")
    MADE["rows"] = True
    started = time.monotonic()
    forum_delete(category)  # left over from an interrupted run
    rng = random.Random(1)
    now = timezone.now()
    replies = [0] * THREADS
    replies[0], replies[1] = BIG_THREAD_REPLIES, SMALL_THREAD_REPLIES
    for _ in range(POSTS - THREADS - BIG_THREAD_REPLIES - SMALL_THREAD_REPLIES):
        replies[rng.randrange(2, THREADS)] += 1
    with transaction.atomic():
        made = Thread.objects.bulk_create([
            Thread(category=category, author=rng.choice(users), title=sentence(rng, 6).capitalize(),
                   kind=Thread.Kind.QUESTION if n % 3 == 0 else Thread.Kind.DISCUSSION,
                   reply_count=replies[n],
                   last_activity_at=now - timedelta(seconds=rng.uniform(0, 365 * 86400)))
            for n in range(THREADS)
        ], batch_size=2_000)
        # Opening posts first, then each thread's replies: ids give the order within a thread.
        posts = [Post(thread=thread, author=thread.author, body=sentence(rng, 14))
                 for thread in made]
        posts += [Post(thread=thread, author=rng.choice(users), body=sentence(rng, 12))
                  for thread, count in zip(made, replies, strict=True) for _ in range(count)]
        Post.objects.bulk_create(posts, batch_size=5_000)
        with connection.cursor() as cursor:
            # created_at is auto_now_add: spread it here. A thread with replies started up to a
            # month before its last activity; its posts are evenly spaced up to that moment.
            cursor.execute(
                "UPDATE knowledge_thread SET created_at = last_activity_at - CASE "
                "WHEN reply_count > 0 THEN interval '1 hour' * (1 + id %% 720) "
                "ELSE interval '0' END WHERE category_id = %s", [category.pk])
            cursor.execute(
                "UPDATE knowledge_post p SET created_at = t.created_at "
                "+ (t.last_activity_at - t.created_at) * (r.rn::float / greatest(r.n, 1)) "
                "FROM (SELECT id, thread_id, "
                "      row_number() OVER (PARTITION BY thread_id ORDER BY id) - 1 AS rn, "
                "      count(*) OVER (PARTITION BY thread_id) - 1 AS n "
                "      FROM knowledge_post WHERE thread_id IN "
                "      (SELECT id FROM knowledge_thread WHERE category_id = %s)) r "
                "JOIN knowledge_thread t ON t.id = r.thread_id WHERE p.id = r.id",
                [category.pk])
            # Half the answered questions have an accepted answer (their last reply).
            cursor.execute(
                "UPDATE knowledge_thread t SET accepted_post_id = "
                "(SELECT max(id) FROM knowledge_post WHERE thread_id = t.id) "
                "WHERE category_id = %s AND kind = 'question' AND reply_count > 0 "
                "AND (id %% 2 = 0 OR id = %s)", [category.pk, made[0].pk])
    say(f"  forum made in {time.monotonic() - started:.0f} s")
    return category, *_forum_samples(category)


def _forum_samples(category):
    """The question with 200 replies, and a question like it (accepted answer) with 3."""
    from knowledge.models import Thread

    threads = Thread.objects.filter(category=category, kind=Thread.Kind.QUESTION,
                                    accepted_post__isnull=False).order_by("pk")
    return (threads.filter(reply_count=BIG_THREAD_REPLIES).first(),
            threads.filter(reply_count=SMALL_THREAD_REPLIES).first())


def articles_ensure():
    """ARTICLES published articles (with their English aliases), made through page_add."""
    from knowledge.models import ArticlePage, Topic
    from knowledge.services.pages import original_locale, page_add, section_page

    topics = [Topic.objects.get_or_create(
        slug=f"{PREFIX}-topic-{n}",
        defaults={"name": f"Bench topik {n}", "name_en": f"Bench topic {n}", "sort_order": 90 + n},
    )[0] for n in range(TOPICS)]
    slugs = [f"{PREFIX}-article-{n:03d}" for n in range(ARTICLES)]
    have = set(ArticlePage.objects.filter(locale=original_locale(), slug__in=slugs)
               .values_list("slug", flat=True))
    missing = [n for n, slug in enumerate(slugs) if slug not in have]
    if missing:
        say(f"Knowledge: making {len(missing)} articles through page_add ...")
        MADE["rows"] = True
        started = time.monotonic()
        parent = section_page("KnowledgeIndexPage")
        rng = random.Random(2)
        for done, n in enumerate(missing, 1):
            word = f" {ARTICLE_WORD}" if n % 3 == 0 else ""
            page = ArticlePage(
                title=f"Bench panduan {n}: {sentence(rng, 3)}", slug=slugs[n],
                kind=ArticlePage.Kind.GUIDE if n % 4 == 0 else ArticlePage.Kind.ARTICLE,
                topic=topics[n % TOPICS],
                summary=f"Ringkasan {sentence(rng, 8)}{word}.",
                body=[("text", f"<p>{sentence(rng, 40).capitalize()}{word}.</p>")],
            )
            page.tags.add(f"{PREFIX}-tag-{n % 7}")
            page_add(parent=parent, page=page)
            if done % 50 == 0:
                say(f"  {done}/{len(missing)} articles, {time.monotonic() - started:.0f} s")
        say(f"  articles made in {time.monotonic() - started:.0f} s")
    pages = ArticlePage.objects.filter(locale=original_locale(), slug__in=slugs).order_by("slug")
    return topics, pages.first()


def _event_times(n: int, now):
    """Event n: the first UPCOMING from tomorrow on, one a day; the others one a day back."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    if n < UPCOMING:
        starts = hour + timedelta(days=n + 1)
    else:
        starts = hour - timedelta(days=n - UPCOMING + 1)
    return starts, starts + timedelta(hours=3)


def events_ensure(users):
    """EVENTS events (UPCOMING of them ahead, whatever the day), RSVPs, and the race event."""
    from django.db import transaction
    from django.utils import timezone

    from enterprises.models import Region
    from knowledge.models import EventPage, Rsvp
    from knowledge.services.pages import original_locale, page_add, section_page

    locale = original_locale()
    slugs = [f"{PREFIX}-event-{n:03d}" for n in range(EVENTS)]
    race_slug = f"{PREFIX}-race"
    have = set(EventPage.objects.filter(locale=locale, slug__in=[*slugs, race_slug])
               .values_list("slug", flat=True))
    missing = [n for n, slug in enumerate(slugs) if slug not in have]
    now = timezone.now()
    parent = section_page("EventIndexPage")
    if missing or race_slug not in have:
        say(f"Events: making {len(missing) + (race_slug not in have)} events through page_add ...")
        MADE["rows"] = True
        started = time.monotonic()
        regencies = list(Region.objects.filter(level=Region.Level.REGENCY).order_by("pk")[:6])
        kinds = EventPage.Kind.values
        for done, n in enumerate(missing, 1):
            starts, ends = _event_times(n, now)
            page_add(parent=parent, page=EventPage(
                title=f"Bench acara {n}", slug=slugs[n], kind=kinds[n % len(kinds)],
                summary="Acara untuk benchmark.", starts_at=starts, ends_at=ends,
                venue=f"Balai Desa {n}", regency=regencies[n % len(regencies)] if regencies
                else None, capacity=None if n % 2 == 0 else 50,
            ))
            if done % 50 == 0:
                say(f"  {done}/{len(missing)} events, {time.monotonic() - started:.0f} s")
        if race_slug not in have:
            page_add(parent=parent, page=EventPage(
                title="Bench acara rebutan", slug=race_slug, kind=EventPage.Kind.TRAINING,
                summary="Sepuluh tempat untuk lima puluh orang.", starts_at=now,
                ends_at=now + timedelta(hours=3), venue="Balai Desa Bench",
                capacity=RACE_CAPACITY,
            ))
        say(f"  events made in {time.monotonic() - started:.0f} s")
    # Move the dates (in every locale) so that UPCOMING events are ahead today as well.
    index = {slug: n for n, slug in enumerate(slugs)}
    pages = list(EventPage.objects.filter(slug__in=[*slugs, race_slug]).only(
        "pk", "slug", "starts_at", "ends_at"))
    for page in pages:
        if page.slug == race_slug:
            page.starts_at = now + timedelta(days=30)
            page.ends_at = page.starts_at + timedelta(hours=3)
        else:
            page.starts_at, page.ends_at = _event_times(index[page.slug], now)
    EventPage.objects.bulk_update(pages, ["starts_at", "ends_at"], batch_size=500)

    events = {page.slug: page for page in EventPage.objects.filter(
        locale=locale, slug__in=[*slugs, race_slug])}
    big, empty, race = events[slugs[0]], events[slugs[1]], events[race_slug]
    if Rsvp.objects.filter(event=big).count() != BIG_EVENT_RSVPS:
        say("Events: making RSVPs ...")
        MADE["rows"] = True
        rng = random.Random(3)
        with transaction.atomic():
            Rsvp.objects.filter(event__in=[events[slug] for slug in slugs]).delete()
            rows = []
            for n, slug in enumerate(slugs):
                if n == 1:
                    continue  # the event without RSVPs, to compare with the one with 300
                people = users if n == 0 else rng.sample(users, rng.randint(0, 30))
                rows += [Rsvp(event=events[slug], user=user, status=Rsvp.Status.GOING,
                              requested_at=now - timedelta(minutes=k),
                              attended=(rng.random() < 0.8) if n >= UPCOMING else None)
                         for k, user in enumerate(people)]
            Rsvp.objects.bulk_create(rows, batch_size=5_000)
    return big, empty, race


def organiser_ensure():
    """A superuser: Wagtail editors manage every event, so its page lists the 300 going."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=f"{PREFIX}-admin",
        defaults={"is_staff": True, "is_superuser": True, "first_name": "Admin",
                  "password": "!", "email": f"{PREFIX}-admin@example.com"})
    return user


# --- Timing pages --------------------------------------------------------------------------------


def build_cases(*, category, big_thread, small_thread, topic, article, big_event, empty_event,
                organiser):
    from django.test import Client

    anonymous = Client()
    admin = Client()
    admin.force_login(organiser)
    kind = "cultural"
    return [
        # (label, client, path, params)
        ("forum: index", anonymous, "/forum/", {}),
        ("forum: category page 1", anonymous, category.get_absolute_url(), {}),
        ("forum: category page 500", anonymous, category.get_absolute_url(), {"page": 500}),
        ("forum: category unanswered", anonymous, category.get_absolute_url(),
         {"kind": "question", "unanswered": "1"}),
        (f"forum: thread {SMALL_THREAD_REPLIES} replies", anonymous,
         small_thread.get_absolute_url(), {}),
        (f"forum: thread {BIG_THREAD_REPLIES} replies", anonymous,
         big_thread.get_absolute_url(), {}),
        (f"forum: thread {BIG_THREAD_REPLIES} replies p.7", anonymous,
         big_thread.get_absolute_url(), {"page": 7}),
        (f"forum: search q={FORUM_WORD}", anonymous, "/forum/", {"q": FORUM_WORD}),
        (f"forum: search q={MISSING_WORD}", anonymous, "/forum/", {"q": MISSING_WORD}),
        ("knowledge: index", anonymous, "/knowledge/", {}),
        (f"knowledge: q={ARTICLE_WORD}", anonymous, "/knowledge/", {"q": ARTICLE_WORD}),
        ("knowledge: topic", anonymous, "/knowledge/", {"topic": topic.slug}),
        ("knowledge: article page", anonymous, article.get_url(), {}),
        ("knowledge: /en/knowledge/", anonymous, "/en/knowledge/", {}),
        (f"api: articles search={ARTICLE_WORD}", anonymous, "/api/v1/articles/",
         {"search": ARTICLE_WORD}),
        ("events: index", anonymous, "/events/", {}),
        ("events: when=past page=5", anonymous, "/events/", {"when": "past", "page": 5}),
        (f"event: {BIG_EVENT_RSVPS} RSVPs", anonymous, big_event.get_url(), {}),
        ("event: 0 RSVPs, organiser", admin, empty_event.get_url(), {}),
        (f"event: {BIG_EVENT_RSVPS} RSVPs, organiser", admin, big_event.get_url(), {}),
        (f"events: calendar.ics kind={kind}", anonymous, "/events/calendar.ics", {"kind": kind}),
        ("events: calendar.ics", anonymous, "/events/calendar.ics", {}),
        ("api: events", anonymous, "/api/v1/events/", {}),
    ]


def run_cases(cases, *, warmup: int, runs: int) -> dict[str, dict]:
    results = {}
    for label, client, path, params in cases:
        try:
            result = measure(client, path, params, warmup=warmup, runs=runs)
        except Exception as error:  # one broken page must not stop the others
            result = {"url": path, "error": f"{type(error).__name__}: {str(error)[:60]}"}
        results[label] = result
        shown = (f"{result['median']:.1f} ms" if "error" not in result else result["error"])
        say(f"  measured {label}: {shown}")
    return results


def table(results: dict[str, dict], *, warmup: int, runs: int) -> str:
    lines = [
        f"{'case':<34} {'median ms':>10} {'p95 ms':>9} {'SQL ms':>8} {'queries':>8} {'KB':>7}",
        "-" * 81,
    ]
    for label, result in results.items():
        if "error" in result:
            lines.append(f"{label:<34} {result['error']}  ({result['url']})")
        else:
            lines.append(f"{label:<34} {result['median']:>10.1f} {result['p95']:>9.1f} "
                         f"{result['sql']:>8.1f} {result['queries']:>8.0f} {result['kb']:>7.1f}")
    lines.append(f"({runs} timed requests per case after {warmup} warm-up ones; in-process "
                 "test client, DEBUG off; SQL ms is the median time spent in the database)")
    return "\n".join(lines)


GROWTH = [
    # (what grows, case with few rows, case with many)
    (f"thread replies shown ({SMALL_THREAD_REPLIES} -> 30 of {BIG_THREAD_REPLIES})",
     f"forum: thread {SMALL_THREAD_REPLIES} replies",
     f"forum: thread {BIG_THREAD_REPLIES} replies"),
    (f"RSVPs listed to the organiser (0 -> {BIG_EVENT_RSVPS})",
     "event: 0 RSVPs, organiser", f"event: {BIG_EVENT_RSVPS} RSVPs, organiser"),
    ("events in the calendar feed (one kind -> all)",
     "events: calendar.ics kind=cultural", "events: calendar.ics"),
    ("forum page depth (page 1 -> page 500)",
     "forum: category page 1", "forum: category page 500"),
]


def growth_report(results: dict[str, dict]) -> str:
    lines = ["Queries per request as the rows shown grow (must stay flat):"]
    for what, few, many in GROWTH:
        a, b = results.get(few, {}), results.get(many, {})
        if "queries" not in a or "queries" not in b:
            lines.append(f"  {what}: not measured")
            continue
        verdict = "flat" if b["queries"] <= a["queries"] else "GROWS"
        lines.append(f"  {what:<52} {a['queries']:>4.0f} -> {b['queries']:>4.0f}  {verdict}")
    return "\n".join(lines)


def slow_report(results: dict[str, dict]) -> str:
    slow = [(label, r) for label, r in results.items()
            if "median" in r and r["median"] > SLOW_MS]
    if not slow:
        return f"No page above {SLOW_MS} ms median."
    lines = [f"Pages above {SLOW_MS} ms median (where the time goes; slowest query of a run):"]
    for label, r in slow:
        share = r["sql"] / r["median"] * 100 if r["median"] else 0
        ms, sql = r["slowest"]
        lines.append(f"  {label}: {r['median']:.0f} ms, {share:.0f}% of it in SQL; "
                     f"slowest query {ms:.0f} ms: {sql[:220]}")
    return "\n".join(lines)


# --- EXPLAIN ------------------------------------------------------------------------------------


def explain_forum(category) -> str:
    from knowledge.selectors.forum import THREADS_PER_PAGE, thread_list_filtered

    lines = []
    queryset = thread_list_filtered(category=category)
    for label, sliced in [
        ("category page 1", queryset[:THREADS_PER_PAGE]),
        ("category page 500", queryset[499 * THREADS_PER_PAGE:500 * THREADS_PER_PAGE]),
    ]:
        plan = sliced.explain(analyze=True)
        used = "thread_category_activity" in plan
        lines.append(f"EXPLAIN ANALYZE forum {label}: index thread_category_activity "
                     f"{'USED' if used else 'NOT USED'}")
        lines.extend(f"    {line}" for line in plan.splitlines())
    searched = thread_list_filtered(text=MISSING_WORD)[:THREADS_PER_PAGE]
    plan = searched.explain(analyze=True)
    scans = [line.strip() for line in plan.splitlines() if "Seq Scan" in line]
    took = next((line.strip() for line in plan.splitlines() if "Execution Time" in line), "")
    lines.append(f"EXPLAIN ANALYZE forum search q={MISSING_WORD}: {took}; sequential scans: "
                 f"{'; '.join(scans) or 'none'}")
    return "\n".join(lines)


# --- The RSVP race -------------------------------------------------------------------------------


def race(event, racers: int) -> tuple[str, bool]:
    from django.db import connection

    from knowledge.models import EventPage, Rsvp
    from knowledge.services.events import rsvp_join

    Rsvp.objects.filter(event=event).delete()  # left over from an interrupted run
    people = users_ensure("racer", racers)
    start = threading.Barrier(racers)
    statuses, errors, timings = [], [], []

    def join(user):
        try:
            mine = EventPage.objects.get(pk=event.pk)
            start.wait()
            started = time.perf_counter()
            statuses.append(rsvp_join(event=mine, user=user).status)
            timings.append((time.perf_counter() - started) * 1000)
        except Exception as error:  # reported below
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=join, args=(user,)) for user in people]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = (time.perf_counter() - started) * 1000
    going = Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count()
    waiting = Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITING).count()
    Rsvp.objects.filter(event=event).delete()  # ready for the next run
    want_going = min(RACE_CAPACITY, racers)
    ok = going == want_going and waiting == racers - want_going and not errors
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else 0
    lines = [
        f"RSVP race: {racers} people at once on an event with {RACE_CAPACITY} places: "
        f"{going} going (must be {want_going}), {waiting} waiting (must be "
        f"{racers - want_going}), {wall:.0f} ms wall; rsvp_join median "
        f"{statistics.median(timings) if timings else 0:.0f} ms, p95 {p95:.0f} ms "
        f"(waiting for the event's row lock included)  {'OK' if ok else 'WRONG'}",
    ]
    lines += [f"  error: {error}" for error in errors[:5]]
    return "\n".join(lines), ok


# --- Main ----------------------------------------------------------------------------------------


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("BENCH_DATABASE_URL must point to PostgreSQL.", file=sys.stderr)
        return 2
    warmup = int(os.environ.get("BENCH_WARMUP", "3"))
    runs = int(os.environ.get("BENCH_REQUESTS", "30"))
    racers = int(os.environ.get("BENCH_RACERS", "50"))
    began = time.monotonic()
    for name in ("django.tasks", "wagtail", "axes"):  # a line per page made, per login
        logging.getLogger(name).setLevel(logging.WARNING)
    ensure_database(url)
    set_up_django(url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    users = users_ensure("user", USERS)
    category, big_thread, small_thread = forum_ensure(users)
    topics, article = articles_ensure()
    big_event, empty_event, race_event = events_ensure(users)
    organiser = organiser_ensure()
    if MADE["rows"]:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give later
    say(f"Data ready in {time.monotonic() - began:.0f} s; timing pages ...")

    cases = build_cases(category=category, big_thread=big_thread, small_thread=small_thread,
                        topic=topics[0], article=article, big_event=big_event,
                        empty_event=empty_event, organiser=organiser)
    results = run_cases(cases, warmup=warmup, runs=runs)
    race_line, race_ok = race(race_event, racers)
    report = "\n\n".join([
        f"Forum, knowledge and events (PostgreSQL, in-process): forum category with "
        f"{THREADS:,} threads and {POSTS:,} posts, {ARTICLES} articles, {EVENTS} events "
        f"({UPCOMING} upcoming), an event with {BIG_EVENT_RSVPS} RSVPs",
        table(results, warmup=warmup, runs=runs),
        growth_report(results),
        slow_report(results),
        explain_forum(category),
        race_line,
        f"Total {time.monotonic() - began:.0f} s.",
    ]) + "\n"
    print()
    print(report)
    out = BASE_DIR / "bench-results" / "knowledge.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")
    failed = [label for label, result in results.items() if "error" in result]
    return 1 if failed or not race_ok else 0


if __name__ == "__main__":
    sys.exit(main())
