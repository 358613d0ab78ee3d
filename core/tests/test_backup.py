"""A backup restored into an empty database gives back every table and every file."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from core.backup import backed_up_models, create_backup, restore_backup

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot():
    tables = {}
    for model in backed_up_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = [
            tuple(str(v) if isinstance(v, Decimal) else v for v in row)
            for row in model._default_manager.order_by("pk").values_list(*fields)
        ]
        m2m = {
            f.name: sorted(
                model._default_manager.filter(**{f"{f.name}__isnull": False}).values_list(
                    "pk", f"{f.name}__pk"
                )
            )
            for f in model._meta.many_to_many
            if f.remote_field.through._meta.auto_created
        }
        tables[model._meta.label_lower] = (rows, m2m)
    return tables


def test_backup_and_restore_round_trip(tmp_path, settings):
    with open("/dev/null", "w") as quiet:
        call_command("load_demo", stdout=quiet)
    from accounts.models import User
    from products.models import Product, ProductPhoto
    from products.services import product_photo_add

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, format="PNG")
    product = Product.objects.get(name="Trà diếp cá Lụa Vy")
    photo = product_photo_add(
        product, SimpleUploadedFile("a.png", buffer.getvalue()), actor=User.objects.get(username="admin")
    )
    from evaluation.models import Dossier
    from evaluation.testing import attach_required_documents

    private = settings.DOSSIER_FILES_DIR
    attach_required_documents(Dossier.objects.filter(state="province_received").first())
    private_before = {
        p.relative_to(private).as_posix(): p.read_bytes() for p in private.rglob("*") if p.is_file()
    }
    assert private_before
    media = settings.MEDIA_ROOT
    files_before = {p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    # The demo's illustrative images (an image and a thumbnail per product), and this photo's two.
    assert len(files_before) == 2 * ProductPhoto.objects.count() and photo.thumbnail.name
    assert photo.image.name in files_before and photo.thumbnail.name in files_before
    before = snapshot()
    assert sum(len(rows) for rows, _ in before.values()) > 500

    archive = tmp_path / "backup.tar.gz"
    manifest = create_backup(archive)
    assert manifest["models"]["products.product"] == Product.objects.count()

    call_command("flush", "--no-input", verbosity=0)
    for path in [*media.rglob("*"), *private.rglob("*")]:
        if path.is_file():
            path.unlink()
    assert Product.objects.count() == 0

    restore_backup(archive)
    assert snapshot() == before
    files_after = {p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    assert files_after == files_before
    assert {p.relative_to(private).as_posix(): p.read_bytes() for p in private.rglob("*") if p.is_file()} == (
        private_before
    )
    # The database works after restore: new rows get fresh ids (sequences reset on PostgreSQL).
    assert Product.objects.create(name="Mới", slug="moi", producer=product.producer).pk > product.pk


def test_restore_refuses_a_non_empty_database(tmp_path):
    with open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)
    archive = tmp_path / "b.tar.gz"
    create_backup(archive)
    with pytest.raises(ValueError, match="not empty"):
        restore_backup(archive)
