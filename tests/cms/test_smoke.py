import pytest

from tests.factories import ProductPhotoFactory


@pytest.mark.django_db
def test_factories_build_a_listed_product(client):
    photo = ProductPhotoFactory()
    assert photo.product.search_document.startswith("keripik singkong")
    assert client.get("/health/").status_code == 200
