"""Writes to promotion events and videos: each validates, runs in one transaction and records who did it."""

import secrets
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.audit import AuditReason
from core.channels import host_matches
from core.content import changes_public_content
from core.services import assign, attribute, full_clean, require_perm, unique_slug
from core.uploads import check_video
from producers.models import Producer
from promotion.models import VIDEO_HOSTS, Event, Participation, Video, VideoSource

EVENT_FIELDS = (
    "name",
    "kind",
    "start_date",
    "end_date",
    "place",
    "organiser",
    "description",
    "url",
    "is_published",
    "is_sample",
)
RESULT_FIELDS = ("sales_revenue", "contracts_count", "contracts_value", "contacts_count", "note")


def _event_errors(event: Event) -> dict:
    errors: dict = {}
    if event.start_date and event.end_date and event.end_date < event.start_date:
        errors["end_date"] = [_("Ngày kết thúc không được trước ngày bắt đầu.")]
    return errors


def _clean_event(event: Event, exclude=None) -> None:
    """Every error at once; an end before the start is named on the end date (the database
    constraint would otherwise repeat it at the top of the form)."""
    errors = _event_errors(event)
    if errors:
        try:
            event.full_clean(exclude=exclude, validate_constraints=False)
        except ValidationError as exc:
            for key, msgs in exc.message_dict.items():
                errors.setdefault(key, []).extend(msgs)
        raise ValidationError(errors)
    full_clean(event, exclude=exclude)


def _prepare(event: Event) -> None:
    event.name = " ".join((event.name or "").split())
    event.place = " ".join((event.place or "").split())


@changes_public_content
@transaction.atomic
def event_create(*, actor, **data) -> Event:
    require_perm(actor, "promotion.add_event")
    event = Event()
    assign(event, data, EVENT_FIELDS)
    _prepare(event)
    event.slug = unique_slug(Event, event.name)
    _clean_event(event, exclude=["slug"])
    attribute(event, actor, AuditReason.CREATED)
    event.save()
    return event


@changes_public_content
@transaction.atomic
def event_update(event: Event, *, actor, **data) -> Event:
    require_perm(actor, "promotion.change_event", event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    assign(event, data, EVENT_FIELDS)
    _prepare(event)
    _clean_event(event)
    attribute(event, actor, AuditReason.UPDATED)
    event.save()
    return event


def _products_errors(producer, products) -> dict:
    foreign = [p.name for p in products if p.producer_id != producer.pk]
    if foreign:
        return {
            "products": [
                _("Sản phẩm không thuộc chủ thể %(producer)s: %(names)s.")
                % {"producer": producer.name, "names": ", ".join(foreign)}
            ]
        }
    return {}


@changes_public_content
@transaction.atomic
def participation_add(event: Event, producer, *, actor, products=(), booth: str = "", note: str = ""):
    """The office adds any producer; a producer account registers itself for an open event."""
    self_registration = getattr(actor, "role", None) == Role.PRODUCER and not actor.is_superuser
    if self_registration:
        require_perm(actor, "promotion.register", event)
        if producer.pk != actor.producer_id:
            raise PermissionDenied(_("Tài khoản chủ thể chỉ đăng ký cho chính mình."))
    else:
        require_perm(actor, "promotion.manage_participation", event)
    products = list(products)
    participation = Participation(
        event=event, producer=producer, booth=booth, note=note, self_registered=self_registration
    )
    full_clean(participation, _products_errors(producer, products))
    reason = AuditReason.SELF_REGISTERED if self_registration else AuditReason.PARTICIPANT_ADDED
    attribute(participation, actor, reason)
    participation.save()
    participation.products.set(products)
    return participation


@changes_public_content
@transaction.atomic
def participation_update(participation: Participation, *, actor, products=None, booth=None, note=None):
    require_perm(actor, "promotion.manage_participation", participation.event)
    participation = (
        Participation.objects.select_for_update().select_related("producer").get(pk=participation.pk)
    )
    if booth is not None:
        participation.booth = booth
    if note is not None:
        participation.note = note
    errors = _products_errors(participation.producer, products) if products is not None else {}
    full_clean(participation, errors)
    attribute(participation, actor, AuditReason.UPDATED)
    participation.save()
    if products is not None:
        participation.products.set(products)
    return participation


@changes_public_content
@transaction.atomic
def participation_record_results(participation: Participation, *, actor, **data) -> Participation:
    """Sales, contracts signed (count and value) and contacts made at the event."""
    require_perm(actor, "promotion.record_results", participation.event)
    participation = (
        Participation.objects.select_for_update().select_related("event", "producer").get(pk=participation.pk)
    )
    assign(participation, data, RESULT_FIELDS)
    errors: dict = {}
    if participation.event.start_date > timezone.localdate():
        errors["sales_revenue"] = [
            _("Sự kiện bắt đầu ngày %(date)s: chỉ ghi kết quả khi sự kiện đã diễn ra.")
            % {"date": participation.event.start_date.strftime("%d/%m/%Y")}
        ]
    if (participation.contracts_value or 0) > 0 and not participation.contracts_count:
        errors["contracts_count"] = [_("Có giá trị hợp đồng thì phải có số hợp đồng (lớn hơn 0).")]
    for name in ("sales_revenue", "contracts_value"):
        value = getattr(participation, name)
        if value is not None and value < 0:
            errors[name] = [_("Không được là số âm.")]
    if errors:
        raise ValidationError(errors)
    full_clean(participation)
    participation.results_recorded_at = timezone.now()
    attribute(participation, actor, AuditReason.RESULTS_RECORDED)
    participation.save()
    return participation


@changes_public_content
@transaction.atomic
def participation_remove(participation: Participation, *, actor) -> None:
    require_perm(actor, "promotion.withdraw", participation)
    if participation.results_recorded_at is not None:
        raise ValidationError(_("Đã ghi kết quả cho chủ thể này: không thể xóa khỏi sự kiện."))
    attribute(participation, actor, AuditReason.REGISTRATION_WITHDRAWN)
    participation.delete()


# Videos ---------------------------------------------------------------------------------------------


def video_source_of(url: str) -> str:
    """The platform of a video link (VIDEO_HOSTS), or "" when it is none of them."""
    host = urlsplit(url).hostname or ""
    return next((source for source, hosts in VIDEO_HOSTS.items() if host_matches(host, hosts)), "")


def _video_owner_perm(owner) -> tuple[str, dict]:
    if isinstance(owner, Producer):
        return "producers.change_producer", {"producer": owner}
    return "products.change_product", {"product": owner}


@changes_public_content
@transaction.atomic
def video_add(owner, *, actor, title: str, url: str = "", upload=None) -> Video:
    """Add a video to a product or a producer: an uploaded MP4/WebM file, or a YouTube, TikTok
    or Facebook link (exactly one of the two)."""
    perm, owner_kw = _video_owner_perm(owner)
    require_perm(actor, perm, owner)
    title = " ".join((title or "").split())
    url = (url or "").strip()
    errors: dict = {}
    if not title:
        errors["title"] = [_("Cần nhập tiêu đề video.")]
    video = Video(**owner_kw, title=title[:200], position=Video.objects.filter(**owner_kw).count())
    if upload and url:
        errors["url"] = [_("Chọn một trong hai: tải tệp video lên hoặc dán đường dẫn.")]
    elif upload:
        try:
            fmt = check_video(upload)
        except ValidationError as exc:
            errors["file"] = exc.messages
        else:
            video.source = VideoSource.FILE
            video.token = secrets.token_hex(8)
            video.file.save(f"video.{fmt}", upload, save=False)
    elif url:
        source = video_source_of(url)
        if not source:
            errors["url"] = [_("Chỉ nhận đường dẫn video YouTube, TikTok hoặc Facebook.")]
        video.source, video.url = source, url
    else:
        errors["file"] = [_("Cần tải tệp video lên hoặc dán đường dẫn video.")]
    if errors:
        if video.file:
            video.file.delete(save=False)
        raise ValidationError(errors)
    try:
        full_clean(video)
    except ValidationError:
        if video.file:
            video.file.delete(save=False)
        raise
    attribute(video, actor, AuditReason.CREATED)
    video.save()
    return video


@changes_public_content
@transaction.atomic
def video_delete(video: Video, *, actor) -> None:
    owner = video.producer if video.producer_id else video.product
    perm, _owner_kw = _video_owner_perm(owner)
    require_perm(actor, perm, owner)
    name = video.file.name
    attribute(video, actor, AuditReason.DELETED)
    video.delete()
    if name:
        storage = video.file.storage
        transaction.on_commit(lambda: storage.delete(name))
