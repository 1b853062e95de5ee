from django.db import migrations

HERO_TITLE = "Pasar gotong royong untuk usaha desa"


def create_homepage(apps, schema_editor):
    """Replace Wagtail's placeholder root page with Guyub's home page (as Wagtail's template does)."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    locale, _ = Locale.objects.get_or_create(language_code="id")
    homepage = HomePage.objects.create(
        title="Guyub", draft_title="Guyub", slug="home", content_type=home_type,
        path="00010001", depth=2, numchild=0, url_path="/home/", locale=locale,
        hero_title=HERO_TITLE,
        hero_text="<p>Belanja langsung dari UMKM desa, beli bahan bersama, dan saling belajar.</p>",
    )
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", root_page=homepage, is_default_site=True,
                        site_name="Guyub")


def remove_homepage(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
