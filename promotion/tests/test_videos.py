"""Videos of products and producers: our own MP4/WebM files or platform links shown as cards."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import uploads
from core.testing import ProductFactory
from promotion.models import Video, VideoSource
from promotion.services import video_add, video_delete

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + b"\x00" * 200
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm\x42\x87\x81\x04" + b"\x00" * 200
MKV = WEBM.replace(b"\x84webm", b"\x88matroska")
QUICKTIME = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 200


def upload(data, name="clip.mp4", content_type="video/mp4"):
    return SimpleUploadedFile(name, data, content_type)


@pytest.mark.parametrize(("data", "fmt"), [(MP4, "mp4"), (WEBM, "webm")])
def test_check_video_accepts_mp4_and_webm_by_content(data, fmt):
    assert uploads.check_video(upload(data, name="whatever.bin")) == fmt


@pytest.mark.parametrize(
    "data",
    [MKV, QUICKTIME, b"<html><script>alert(1)</script></html>" + b" " * 100, b"%PDF-1.7 " + b"x" * 100],
)
def test_check_video_refuses_other_content_whatever_the_name(data):
    with pytest.raises(ValidationError) as exc:
        uploads.check_video(upload(data, name="clip.mp4"))
    assert exc.value.code == "format"


def test_check_video_size_limit(settings):
    settings.UPLOAD_MAX_BYTES = {"video": 100}
    with pytest.raises(ValidationError) as exc:
        uploads.check_video(upload(MP4))
    assert exc.value.code == "too_large"


def test_video_limit_does_not_raise_the_request_body_cap():
    assert uploads.max_bytes("video") <= max(v for k, v in uploads.DEFAULT_MAX_BYTES.items() if k != "video")


def test_link_is_recognised_and_file_saved_under_our_name(users):
    product = ProductFactory(producer=users["producer_account_of"])
    link = video_add(product, actor=users["producer"], title=" Làm  xúc xích ", url="https://youtu.be/abc123")
    assert link.source == VideoSource.YOUTUBE and link.title == "Làm xúc xích"
    own = video_add(
        product, actor=users["producer"], title="Xưởng", upload=upload(WEBM, name="../../evil.mp4")
    )
    assert (
        own.source == VideoSource.FILE
        and own.file.name.startswith("videos/")
        and own.file.name.endswith(".webm")
    )
    assert own.file.storage.exists(own.file.name) and own.url == ""
    assert link.history.first().history_user == users["producer"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"url": "https://vimeo.com/1"}, "url"),
        ({"url": "https://youtube.com.evil.example/x"}, "url"),
        ({}, "file"),
        ({"url": "https://youtu.be/x", "upload": "MP4"}, "url"),
        ({"upload": "MKV"}, "file"),
    ],
)
def test_bad_videos_are_refused_with_the_field_named(users, kwargs, field):
    product = ProductFactory(producer=users["producer_account_of"])
    data = {"MP4": MP4, "MKV": MKV}
    if "upload" in kwargs:
        kwargs["upload"] = upload(data[kwargs["upload"]])
    with pytest.raises(ValidationError) as exc:
        video_add(product, actor=users["office"], title="Video", **kwargs)
    assert field in exc.value.message_dict
    assert not Video.objects.exists()


def test_database_refuses_a_video_with_two_owners_or_neither_file_nor_link(users):
    from django.db import IntegrityError, transaction

    product = ProductFactory(producer=users["own_producer"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Video.objects.create(
            product=product,
            producer=users["own_producer"],
            title="x",
            source="youtube",
            url="https://youtu.be/x",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Video.objects.create(product=product, title="x", source="youtube", url="")


def test_only_those_who_may_change_the_owner_add_or_remove(users):
    foreign = ProductFactory(producer=users["foreign_producer"])
    with pytest.raises(PermissionDenied):
        video_add(foreign, actor=users["producer"], title="x", url="https://youtu.be/x")
    with pytest.raises(PermissionDenied):
        video_add(users["foreign_producer"], actor=users["officer"], title="x", url="https://youtu.be/x")
    video = video_add(foreign, actor=users["office"], title="x", url="https://youtu.be/x")
    with pytest.raises(PermissionDenied):
        video_delete(video, actor=users["producer"])
    video_delete(video, actor=users["office"])
    assert not Video.objects.exists()


def test_producer_adds_a_video_from_its_page_and_the_public_pages_show_it(client, users):
    producer = users["producer_account_of"]
    product = ProductFactory(producer=producer, slug="xuc-xich")
    client.force_login(users["producer"])
    url = reverse("promotion:producer_videos", args=[producer.pk])
    response = client.post(
        url, {"title": "Câu chuyện HKD Sầm Thu", "url": "https://www.tiktok.com/@samthu/video/1"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("promotion:product_videos", args=[product.pk]),
        {"title": "Xưởng sản xuất", "url": "", "file": upload(MP4)},
    )
    assert response.status_code == 302, response.context["form"].errors
    # A bad file: the form names the field.
    response = client.post(
        reverse("promotion:product_videos", args=[product.pk]), {"title": "x", "file": upload(MKV)}
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]

    client.logout()
    page = client.get(reverse("catalogue:producer", args=[producer.slug])).content.decode()
    assert "Câu chuyện HKD Sầm Thu" in page and 'href="https://www.tiktok.com/@samthu/video/1"' in page
    assert "<iframe" not in page
    page = client.get(reverse("catalogue:product", args=[product.slug])).content.decode()
    assert '<video controls preload="none"' in page and 'type="video/mp4"' in page
    assert "Xưởng sản xuất" in page and "<iframe" not in page


def test_other_producer_may_not_open_the_video_page(client, users):
    client.force_login(users["producer"])
    response = client.get(reverse("promotion:producer_videos", args=[users["foreign_producer"].pk]))
    assert response.status_code == 403
