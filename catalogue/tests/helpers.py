"""Small builders shared by the catalogue tests."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from products.models import Classification
from products.services import product_photo_add


def leaf(code: str) -> Classification:
    return Classification.objects.get(scheme="QD26-2026", code=code)


def years_ago(years: float) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=round(365.25 * years))


def add_photo(product, users, size=(1200, 900)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, format="JPEG")
    upload = SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")
    return product_photo_add(product, upload, actor=users["office"])


def names(query, queryset=None) -> list[str]:
    """The names search_products finds for query, best first."""
    from catalogue.search import search_products

    return list(search_products(query, queryset).values_list("name", flat=True))
