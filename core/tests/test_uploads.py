"""The one upload policy (core.uploads): sizes without reading, images by content and pixel count
before decoding, PDFs and spreadsheets by structure, and the request body capped before parsing."""

import io
import resource
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from core import uploads
from core.testing.files import jpeg_bytes, pdf_bytes, pixel_bomb_png, png_bytes

# Builders -----------------------------------------------------------------------------------------


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Tên sản phẩm", "Hạng sao"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def message(func, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)
    return " ".join(info.value.messages)


# Images -------------------------------------------------------------------------------------------


def test_a_real_jpeg_png_and_webp_are_accepted_and_decoded():
    webp = io.BytesIO()
    Image.new("RGB", (30, 10)).save(webp, format="WEBP")
    for name, data, fmt in [
        ("a.jpg", jpeg_bytes(), "JPEG"),
        ("a.png", png_bytes(), "PNG"),
        ("a.webp", webp.getvalue(), "WEBP"),
    ]:
        image = uploads.check_image(upload(name, data))
        assert image.format == fmt
        assert image.im is not None  # loaded: a truncated file would have failed here


def test_the_pixel_bomb_is_refused_before_any_pixel_is_decoded():
    data = pixel_bomb_png()
    assert len(data) < 40_000  # the bomb is small on the wire
    before_images = Image.core.get_stats()["new_count"]
    before_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.monotonic()
    text = message(uploads.check_image, upload("bom.png", data))
    assert "Ảnh quá lớn" in text and "40 triệu điểm ảnh" in text
    assert time.monotonic() - started < 1.0  # decoding it took 6 s
    # No image buffer was allocated at all, and the process' peak memory did not grow by 1 GB.
    assert Image.core.get_stats()["new_count"] == before_images
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before_peak < 100 * 1024


def test_the_pixel_cap_is_a_setting_and_the_message_gives_the_size(settings):
    settings.UPLOAD_MAX_PIXELS = 500
    text = message(uploads.check_image, upload("a.png", png_bytes((30, 20))))
    assert "30 × 20" in text and "0,0005 triệu" in text
    assert uploads.check_image(upload("b.png", png_bytes((20, 20)))).size == (20, 20)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("trang.jpg", b"<!doctype html><html><script>alert(1)</script></html>", "không phải là ảnh"),
        ("x.jpg", b"<?php system($_GET['c']); ?>", "không phải là ảnh"),
        ("anh.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "không phải là ảnh"),
        ("a.jpg", b"", "rỗng"),
    ],
)
def test_files_that_are_not_images_are_refused_whatever_their_name(name, data, expected):
    assert expected in message(uploads.check_image, upload(name, data))


def test_gif_and_truncated_images_are_refused():
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    assert "JPEG, PNG hoặc WebP" in message(uploads.check_image, upload("a.gif", gif.getvalue()))
    noisy = io.BytesIO()
    Image.effect_noise((400, 300), 60).save(noisy, format="JPEG")
    truncated = noisy.getvalue()[: len(noisy.getvalue()) // 2]
    assert "hỏng" in message(uploads.check_image, upload("a.jpg", truncated))


def test_an_oversized_image_is_refused_from_its_size_without_reading(settings):
    settings.UPLOAD_MAX_BYTES = {"image": 1000}

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read")

    big = Unreadable("a.jpg", b"x" * 2000)
    assert "quá lớn" in message(uploads.check_image, big)


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_when_asked():
    image = uploads.check_image(upload("a.jpg", jpeg_bytes((1600, 1200))), draft_size=(400, 300))
    assert image.size == (400, 300)


# Documents and spreadsheets -----------------------------------------------------------------------


def test_a_pdf_and_a_scanned_page_are_accepted_as_documents():
    assert uploads.check_document(upload("ho-so.pdf", pdf_bytes())) == "pdf"
    assert uploads.check_document(upload("trang-1.jpg", jpeg_bytes())) == "jpeg"
    assert uploads.check_document(upload("trang-2.png", png_bytes())) == "png"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("ho-so.pdf", b"<html>not a pdf</html>", "Chỉ nhận tài liệu PDF"),
        ("ho-so.pdf", b"MZ\x90\x00 an exe", "Chỉ nhận tài liệu PDF"),
        ("ho-so.pdf", pdf_bytes()[:200], "không đầy đủ"),
        ("ho-so.pdf", pdf_bytes(b"/Encrypt 9 0 R "), "mật khẩu"),
        ("bom.png", pixel_bomb_png(), "Ảnh quá lớn"),
    ],
)
def test_fake_truncated_and_encrypted_pdfs_are_refused(name, data, expected):
    assert expected in message(uploads.check_document, upload(name, data))


def test_spreadsheets_are_checked_by_content():
    assert uploads.check_spreadsheet(upload("d.xlsx", xlsx_bytes())) == "xlsx"
    assert uploads.check_spreadsheet(upload("d.csv", "Tên,Hạng\nMiến dong,4\n".encode())) == "csv"
    assert ".xls cũ" in message(uploads.check_spreadsheet, upload("d.xls", b"\xd0\xcf\x11\xe0"))
    assert "không phải tệp Excel" in message(uploads.check_spreadsheet, upload("d.xlsx", b"<html></html>"))
    assert "nhị phân" in message(uploads.check_spreadsheet, upload("d.csv", b"MZ\x00\x00\x01"))
    assert uploads.check_spreadsheet(upload("d.csv", "Tên\tHạng\n".encode("utf-16"))) == "csv"
    assert "Chỉ nhận tệp .xlsx, .csv" in message(uploads.check_spreadsheet, upload("d.exe", b"x"))


# Form fields --------------------------------------------------------------------------------------


def test_the_form_fields_give_the_policy_messages():
    from django import forms

    class Form(forms.Form):
        photo = uploads.ImageUploadField(label="Ảnh")
        document = uploads.DocumentUploadField(label="Tài liệu", required=False)

    form = Form(files={"photo": upload("a.jpg", b"<html></html>"), "document": upload("a.pdf", b"%PDF-1.4")})
    assert not form.is_valid()
    assert "không phải là ảnh" in form.errors["photo"][0]
    assert "không đầy đủ" in form.errors["document"][0]
    good = Form(files={"photo": upload("a.jpg", jpeg_bytes()), "document": upload("a.pdf", pdf_bytes())})
    assert good.is_valid(), good.errors
    assert good.cleaned_data["document"].document_kind == "pdf"


# The request body ---------------------------------------------------------------------------------


class _Stream(io.RawIOBase):
    """A request body that is `size` bytes long, produced as it is read (never held in memory)."""

    def __init__(self, size: int):
        self.left = size
        self.consumed = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left)
        buffer[:n] = b"a" * n
        self.left -= n
        self.consumed += n
        return n


def _wsgi(path: str, stream, headers: dict) -> tuple[str, bytes]:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": stream,
        "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": "multipart/form-data; boundary=XyZ",
        **headers,
    }
    status = []
    # As Django's test client does: the end of the request must not close the test's database.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(WSGIHandler()(environ, lambda s, h, *a: status.append(s)))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return status[0], body


@pytest.fixture
def view_calls(monkeypatch):
    """Every view call; the refused requests must never reach one."""
    from django.core.handlers import base

    calls = []
    original = base.BaseHandler._get_response

    def spy(self, request):
        calls.append(request.path)
        return original(self, request)

    monkeypatch.setattr(base.BaseHandler, "_get_response", spy)
    return calls


@pytest.mark.django_db
def test_a_300_mb_declared_body_is_refused_with_413_unread(view_calls):
    stream = _Stream(300 * 1024 * 1024)
    started = time.monotonic()
    status, body = _wsgi("/quan-ly/", stream, {"CONTENT_LENGTH": str(300 * 1024 * 1024)})
    assert status.startswith("413")
    assert "quá lớn" in body.decode() and "21 MB" in body.decode()
    assert stream.consumed == 0 and view_calls == []
    assert time.monotonic() - started < 2


@pytest.mark.django_db
def test_an_api_upload_too_large_gets_a_json_413(view_calls):
    status, body = _wsgi("/api/v1/products/", _Stream(10), {"CONTENT_LENGTH": str(10**9)})
    assert status.startswith("413") and b'"detail"' in body and view_calls == []


@pytest.mark.django_db
def test_a_streamed_body_without_content_length_is_refused_unread(view_calls):
    stream = _Stream(50 * 1024 * 1024)
    started = time.monotonic()
    status, body = _wsgi("/quan-ly/", stream, {"HTTP_TRANSFER_ENCODING": "chunked"})
    assert status.startswith("411") and "Content-Length" in body.decode()
    assert stream.consumed == 0 and view_calls == []
    assert time.monotonic() - started < 2


def _multipart_request(file_size: int):
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("a.jpg", b"x" * file_size)})
    return WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/x/",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_TYPE": MULTIPART_CONTENT,
            "CONTENT_LENGTH": str(len(body)),
        }
    )


def test_the_upload_handler_stops_a_parse_past_the_limit(settings):
    """Without the middleware in front (another entry point, a server passing an undeclared
    length), the parse itself stops at the limit instead of spooling the whole body to disk."""
    settings.UPLOAD_MAX_BYTES = {"image": 1000, "document": 1000, "spreadsheet": 1000, "boundary": 1000}
    request = _multipart_request(uploads.max_body_bytes() + 10)
    with pytest.raises(uploads.UploadTooLarge):
        request.FILES  # noqa: B018
    assert request.upload_too_large
    small = _multipart_request(500)
    assert small.FILES["file"].size == 500


def test_the_upload_handler_counts_the_bytes_it_receives(settings):
    settings.UPLOAD_MAX_BYTES = {"image": 1000, "document": 1000, "spreadsheet": 1000, "boundary": 1000}
    handler = uploads.LimitedUploadHandler(None)
    handler.handle_raw_input(None, {}, None, "b")  # no declared length
    chunk = b"x" * (64 * 1024)
    with pytest.raises(uploads.UploadTooLarge):
        for start in range(0, 10 * uploads.max_body_bytes(), len(chunk)):
            handler.receive_data_chunk(chunk, start)
    assert handler.received <= uploads.max_body_bytes() + len(chunk)


@pytest.mark.django_db
def test_the_worker_stays_up_after_the_bombs(client, users):
    """After refusing the bombs, the same process answers the next request normally."""
    client.force_login(users["office"])
    _wsgi("/quan-ly/", _Stream(10), {"CONTENT_LENGTH": str(300 * 1024 * 1024)})
    message(uploads.check_image, upload("bom.png", pixel_bomb_png()))
    assert client.get("/quan-ly/").status_code == 200
