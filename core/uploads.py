"""The one upload policy: every form and service that takes a file checks it here.

Limits per kind of file are settings (UPLOAD_MAX_BYTES, UPLOAD_MAX_PIXELS) with the defaults below.
Sizes are read from `upload.size` (the upload handlers already counted the bytes), so nothing is
read to refuse a file that is too large; the request body itself is capped before Django parses
it by core.middleware.UploadLimitMiddleware and core.uploads.LimitedUploadHandler.

Types are checked by content (magic bytes, image header, PDF trailer), never by the name or the
Content-Type the browser sent. Images are opened header-only and their pixel count is checked
before anything is decoded: a 20 KB PNG can declare 150 million pixels (a "pixel bomb").
"""

import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024
DEFAULT_MAX_BYTES = {
    "image": 8 * MB,
    "document": 20 * MB,
    "spreadsheet": 20 * MB,
    "boundary": 5 * MB,
    # Short product clips. Not above the largest other kind: the largest limit is also the cap
    # on every request's body (max_body_bytes) and nginx's client_max_body_size.
    "video": 20 * MB,
}
DEFAULT_MAX_PIXELS = 40_000_000
# Bytes a request may carry beyond its largest file: the other form fields and multipart headers.
BODY_MARGIN = 1 * MB

IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
# A PDF's trailer ends with %%EOF; writers may append a few bytes (newlines, padding) after it.
PDF_TAIL_BYTES = 2048
_SCAN_CHUNK = 1 * MB


def max_bytes(kind: str) -> int:
    return {**DEFAULT_MAX_BYTES, **getattr(settings, "UPLOAD_MAX_BYTES", {})}[kind]


def max_pixels() -> int:
    return getattr(settings, "UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def max_body_bytes() -> int:
    """The largest request body accepted: the largest file of any kind plus the form around it."""
    limits = {**DEFAULT_MAX_BYTES, **getattr(settings, "UPLOAD_MAX_BYTES", {})}
    return max(limits.values()) + BODY_MARGIN


def configure_pillow() -> None:
    """Pillow's own bomb guard, set once (core.apps): warn above the cap, refuse above twice it.
    check_image refuses at the cap itself; this also covers any other code that opens an image."""
    Image.MAX_IMAGE_PIXELS = max_pixels()


def format_mb(n: int) -> str:
    value = n / MB
    return f"{value:.0f}" if value >= 1 else f"{value:.1f}".replace(".", ",")


def check_size(upload, kind: str) -> None:
    limit = max_bytes(kind)
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s MB): tối đa %(mb)s MB.")
            % {"size": format_mb(upload.size), "mb": format_mb(limit)},
            code="too_large",
        )
    if not upload.size:
        raise ValidationError(_("Tệp rỗng (0 byte)."), code="empty")


def _head(upload, n: int) -> bytes:
    upload.seek(0)
    data = upload.read(n)
    upload.seek(0)
    return data


def _extension(upload) -> str:
    name = (getattr(upload, "name", "") or "").lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


# Images ------------------------------------------------------------------------------------------


def _open_image(upload) -> Image.Image:
    """Open the header only, refusing anything Pillow's bomb guard objects to."""
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # `formats` restricts Pillow to these decoders: an HTML or SVG file named .jpg fails here.
            return Image.open(upload, formats=IMAGE_FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise _too_many_pixels() from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(
                _("Tệp không phải là ảnh hợp lệ: chỉ nhận ảnh JPEG, PNG hoặc WebP."), code="not_image"
            ) from exc


def _too_many_pixels(width: int | None = None, height: int | None = None) -> ValidationError:
    cap = max_pixels() / 1_000_000
    if width and height:
        message = _(
            "Ảnh quá lớn: %(w)d × %(h)d điểm ảnh; tối đa %(cap)s triệu điểm ảnh. Hãy thu nhỏ ảnh rồi tải lại."
        ) % {"w": width, "h": height, "cap": f"{cap:g}".replace(".", ",")}
    else:
        message = _("Ảnh quá lớn: tối đa %(cap)s triệu điểm ảnh. Hãy thu nhỏ ảnh rồi tải lại.") % {
            "cap": f"{cap:g}".replace(".", ",")
        }
    return ValidationError(message, code="too_many_pixels")


def check_image(upload, *, draft_size: tuple[int, int] | None = None) -> Image.Image:
    """A JPEG, PNG or WebP image within the size and pixel caps, decoded (so a truncated or
    corrupt file is refused here). Returns the loaded image; its `.format` is the real format.

    `draft_size`: a JPEG may be decoded at a reduced scale not below this size (the caller
    re-encodes smaller anyway), which saves most of the memory of large phone photos."""
    cached = getattr(upload, "_checked_image", None)
    if cached is not None:
        return cached
    check_size(upload, "image")
    image = _open_image(upload)
    width, height = image.size
    # The header alone gave the size: refuse before one pixel is decoded.
    if width * height > max_pixels():
        raise _too_many_pixels(width, height)
    if image.format not in IMAGE_FORMATS:
        raise ValidationError(_("Chỉ nhận ảnh JPEG, PNG hoặc WebP."), code="format")
    try:
        if draft_size and image.format == "JPEG":
            image.draft(None, draft_size)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _too_many_pixels(width, height) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("Ảnh bị hỏng hoặc không đầy đủ: hãy lưu lại ảnh (JPEG, PNG hoặc WebP) rồi tải lại."),
            code="corrupt",
        ) from exc
    upload.seek(0)
    # A form field and the service behind it both check: the second one reuses the first's work.
    upload._checked_image = image
    return image


# Documents ---------------------------------------------------------------------------------------


def _contains(upload, needle: bytes) -> bool:
    """Whether the file contains `needle`, read in chunks (documents may be 20 MB)."""
    upload.seek(0)
    tail = b""
    try:
        while chunk := upload.read(_SCAN_CHUNK):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle) :]
        return False
    finally:
        upload.seek(0)


def check_pdf(upload) -> None:
    """A light structural check (no PDF library is installed): the magic bytes, a trailer's
    %%EOF near the end, and no encryption (the office must be able to open and print it)."""
    if not _head(upload, 1024).lstrip(b"\r\n\t ").startswith(PDF_MAGIC):
        raise ValidationError(_("Tệp không phải là tệp PDF."), code="not_pdf")
    upload.seek(max(0, upload.size - PDF_TAIL_BYTES))
    tail = upload.read(PDF_TAIL_BYTES)
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise ValidationError(
            _("Tệp PDF bị hỏng hoặc không đầy đủ (thiếu phần kết thúc): hãy xuất lại tệp PDF."),
            code="corrupt",
        )
    if _contains(upload, b"/Encrypt"):
        raise ValidationError(
            _("Tệp PDF được đặt mật khẩu hoặc mã hóa: hãy bỏ mật khẩu rồi tải lại."), code="encrypted"
        )


def check_document(upload) -> str:
    """A dossier document: a PDF, or a scanned page as a JPEG/PNG image. Returns "pdf" or the
    image format in lower case."""
    check_size(upload, "document")
    head = _head(upload, 1024)
    if head.lstrip(b"\r\n\t ").startswith(PDF_MAGIC):
        check_pdf(upload)
        return "pdf"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        # Scans are documents: the document limit applies, the pixel cap of images too.
        image = _open_image(upload)
        width, height = image.size
        upload.seek(0)
        if width * height > max_pixels():
            raise _too_many_pixels(width, height)
        return image.format.lower()
    raise ValidationError(_("Chỉ nhận tài liệu PDF hoặc ảnh chụp/quét (JPEG, PNG)."), code="format")


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt (Office 97–2003)
OFFICE_ZIP = ("docx", "xlsx", "pptx")
OFFICE_OLE = ("doc", "xls", "ppt")
ATTACHMENT_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}


def check_attachment(upload) -> str:
    """An attachment of a published page: a PDF, an image (JPEG, PNG, WebP) or an Office document
    (.docx/.xlsx/.pptx, or the older .doc/.xls/.ppt), within the document size limit. The type is
    read from the content (an Office file's extension must match its container). Returns the
    format: "pdf", "jpeg", "png", "webp" or the Office extension."""
    check_size(upload, "document")
    head = _head(upload, 1024)
    if head.lstrip(b"\r\n\t ").startswith(PDF_MAGIC):
        check_pdf(upload)
        return "pdf"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or head[8:12] == b"WEBP":
        image = _open_image(upload)
        width, height = image.size
        upload.seek(0)
        if width * height > max_pixels():
            raise _too_many_pixels(width, height)
        return image.format.lower()
    extension = _extension(upload)
    if head.startswith(ZIP_MAGIC) and extension in OFFICE_ZIP:
        return extension
    if head.startswith(OLE_MAGIC) and extension in OFFICE_OLE:
        return extension
    raise ValidationError(
        _("Chỉ nhận tài liệu PDF, ảnh (JPEG, PNG, WebP) hoặc tệp Word, Excel, PowerPoint."), code="format"
    )


# Spreadsheets and text files ---------------------------------------------------------------------


def _check_text(upload, label: str) -> None:
    head = _head(upload, 64 * 1024)
    # UTF-16 text (Excel's "Unicode text") is full of NUL bytes but starts with its BOM.
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(
            _("Tệp %(kind)s không phải văn bản (có ký tự nhị phân): hãy lưu lại với bảng mã UTF-8.")
            % {"kind": label},
            code="binary",
        )


def _check_xlsx(upload) -> None:
    """The zip magic only: core.sheet_reader.check_xlsx opens the workbook and refuses zip and
    dimension bombs before any reader allocates for it."""
    if _head(upload, 4) != ZIP_MAGIC:
        raise ValidationError(
            _(
                "Tệp không phải tệp Excel .xlsx (có thể là .xls cũ hoặc tệp đổi đuôi): "
                "hãy lưu lại thành .xlsx."
            ),
            code="not_xlsx",
        )


def check_spreadsheet(upload, extensions=("xlsx", "csv")) -> str:
    """An import file: .xlsx (a zip), .csv (text) or, where a caller allows them, .yaml/.yml
    (text). Returns the extension. The content is read by core.sheet_reader, which checks the
    workbook's structure and the text's encoding."""
    check_size(upload, "spreadsheet")
    extension = _extension(upload)
    if extension == "xlsm":
        extension = "xlsx"
    if extension == "xls":
        raise ValidationError(
            _("Định dạng .xls cũ không được hỗ trợ: lưu lại thành .xlsx hoặc .csv."), code="extension"
        )
    if extension not in extensions:
        raise ValidationError(
            _("Chỉ nhận tệp %(list)s.") % {"list": ", ".join(f".{e}" for e in extensions)}, code="extension"
        )
    if extension == "xlsx":
        _check_xlsx(upload)
    else:
        _check_text(upload, extension.upper())
    return extension


def check_boundary(upload) -> None:
    """A boundary file (GeoJSON or KML): its size here; areas.geometry.read_file checks the
    extension and reads the content (the parse is the content check)."""
    check_size(upload, "boundary")


# Videos ------------------------------------------------------------------------------------------

# ISO base media (MP4): a first box "ftyp" whose major or a compatible brand is one browsers
# play as MP4 (QuickTime "qt  " and 3GP are refused: not every browser plays them).
MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V "}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # Matroska/WebM; the DocType element says which
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}


def _mp4_brands(head: bytes) -> set[bytes]:
    if len(head) < 16 or head[4:8] != b"ftyp":
        return set()
    size = int.from_bytes(head[:4], "big")
    if size < 16 or size > len(head):
        size = min(len(head), 64)
    box = head[8:size]
    return {box[:4]} | {box[i : i + 4] for i in range(8, len(box) - 3, 4)}


def check_video(upload) -> str:
    """A video we serve ourselves: MP4 or WebM by its magic bytes (never its name), within the
    video size limit. Returns "mp4" or "webm"."""
    check_size(upload, "video")
    head = _head(upload, 256)
    if _mp4_brands(head) & MP4_BRANDS:
        return "mp4"
    if head.startswith(EBML_MAGIC) and b"webm" in head[:64]:
        return "webm"
    raise ValidationError(_("Chỉ nhận video MP4 (H.264) hoặc WebM."), code="format")


# Form fields -------------------------------------------------------------------------------------


class _CheckedFileField(forms.FileField):
    def check(self, upload):
        raise NotImplementedError

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            self.check(upload)
        return upload


class ImageUploadField(_CheckedFileField):
    """A photo: JPEG, PNG or WebP within the size and pixel caps (check_image)."""

    def __init__(self, *, draft_size=None, **kwargs):
        self.draft_size = draft_size
        accept = "image/jpeg,image/png,image/webp"
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def check(self, upload):
        check_image(upload, draft_size=self.draft_size)


class DocumentUploadField(_CheckedFileField):
    """A dossier document: PDF, or a scanned page as JPEG/PNG (check_document)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})
        )
        super().__init__(**kwargs)

    def check(self, upload):
        upload.document_kind = check_document(upload)


class AttachmentUploadField(_CheckedFileField):
    """An attachment of a published page: PDF, image or Office document (check_attachment)."""

    def __init__(self, **kwargs):
        accept = "application/pdf,image/jpeg,image/png,image/webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def check(self, upload):
        upload.attachment_kind = check_attachment(upload)


class SpreadsheetUploadField(_CheckedFileField):
    """An import file: .xlsx or .csv by default (check_spreadsheet)."""

    def __init__(self, *, extensions=("xlsx", "csv"), **kwargs):
        self.extensions = tuple(extensions)
        accept = ",".join(f".{e}" for e in self.extensions)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def check(self, upload):
        check_spreadsheet(upload, self.extensions)


class BoundaryUploadField(_CheckedFileField):
    """A GeoJSON or KML boundary file (check_boundary); areas.geometry reads the content."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.kml,application/geo+json"})
        )
        super().__init__(**kwargs)

    def check(self, upload):
        check_boundary(upload)


class VideoUploadField(_CheckedFileField):
    """A video file: MP4 or WebM within the video size limit (check_video)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}))
        super().__init__(**kwargs)

    def check(self, upload):
        upload.video_format = check_video(upload)


# The request body --------------------------------------------------------------------------------

TOO_LARGE_MESSAGE = gettext_lazy(
    "Dữ liệu gửi lên quá lớn: tối đa %(mb)s MB cho mỗi lần gửi. Hãy chọn tệp nhỏ hơn rồi gửi lại."
)


class UploadTooLarge(RequestDataTooBig):
    """The body grew past max_body_bytes() while being read; core.middleware answers 413."""


class LimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts the bytes of every file part and stops the parse past
    the body limit, whatever the request declared. core.middleware refuses a declared
    Content-Length first; this guards the parse itself (a body whose length was not declared)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_body_bytes()
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self):
        if self.request is not None:
            self.request.upload_too_large = True
        raise UploadTooLarge(TOO_LARGE_MESSAGE % {"mb": format_mb(self.limit)})
