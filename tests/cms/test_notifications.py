import pytest
from django.core import mail

from cms.models import Notification
from cms.services import notification_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_send_stores_one_per_user_and_emails_after_commit(django_capture_on_commit_callbacks):
    sari, budi = UserFactory(), UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            users=[sari, budi, None], kind="bulk_order.allocated", title="Alokasi pupuk",
            body="Anda mendapat 100 kg.", url="/bulk-orders/1/",
        )

    assert Notification.objects.filter(kind="bulk_order.allocated").count() == 2
    assert [message.to for message in mail.outbox] == [[sari.email]]
    assert mail.outbox[0].subject == "Guyub: Alokasi pupuk"
    assert "http://testserver/bulk-orders/1/" in mail.outbox[0].body


def test_quiet_notifications_send_no_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(users=[UserFactory()], kind="x", title="Diam", email=False)

    assert mail.outbox == []


def test_inbox_lists_own_notifications_and_counts_unread(client):
    sari, other = UserFactory(), UserFactory()
    notification_send(users=[sari], kind="x", title="Pemesanan huller dikonfirmasi", email=False)
    notification_send(users=[other], kind="x", title="Bukan untuk Sari", email=False)
    client.force_login(sari)

    page = client.get("/notifications/").content.decode()

    assert "Pemesanan huller dikonfirmasi" in page
    assert "Bukan untuk Sari" not in page
    assert 'class="count-badge"' in client.get("/products/").content.decode()


def test_reading_one_follows_its_link_and_marks_it_read(client):
    sari = UserFactory()
    [note] = notification_send(users=[sari], kind="x", title="Hasil", url="/products/", email=False)
    client.force_login(sari)

    response = client.post(f"/notifications/{note.pk}/read/")

    assert response.status_code == 302 and response["Location"] == "/products/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_an_off_site_link_is_not_followed(client):
    sari = UserFactory()
    [note] = notification_send(users=[sari], kind="x", title="Aneh", url="https://evil.example/",
                               email=False)
    client.force_login(sari)

    assert client.post(f"/notifications/{note.pk}/read/")["Location"] == "/notifications/"


def test_someone_elses_notification_is_404_and_stays_unread(client):
    [note] = notification_send(users=[UserFactory()], kind="x", title="Rahasia", email=False)
    client.force_login(UserFactory())

    assert client.post(f"/notifications/{note.pk}/read/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_and_login_required(client):
    sari = UserFactory()
    notification_send(users=[sari], kind="x", title="Satu", email=False)
    notification_send(users=[sari], kind="x", title="Dua", email=False)
    assert client.get("/notifications/").status_code == 302
    client.force_login(sari)

    client.post("/notifications/read/")

    assert not Notification.objects.filter(user=sari, read_at__isnull=True).exists()
    assert client.get("/notifications/read/").status_code == 405
