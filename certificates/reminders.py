"""Expiry reminders (re-evaluation window of Điều 7 and the expiry itself).

Stages, by days left until expiry (expires_on − today):
- window_open: 128–180 — the re-evaluation window opened (180 days before expiry);
- window_closing: 120–127 — the window closes in a week or less (120 days before expiry);
- expiry: 0–30 — the certificate expires within 30 days.
A run sends each (certificate, stage) once (ExpiryReminder's unique constraint), to the
producer's accounts and the commune officers, in the app and by e-mail after commit. Renewed
(not current) and revoked certificates get nothing."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates.models import Certificate, ExpiryReminder, ReminderLog, ReminderStage
from certificates.selectors import certificate_recipients

STAGE_DAYS = {
    ReminderStage.WINDOW_OPEN: (128, 180),
    ReminderStage.WINDOW_CLOSING: (120, 127),
    ReminderStage.EXPIRY: (0, 30),
}


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def due_reminders(day: dt.date) -> list[tuple[Certificate, str]]:
    """(certificate, stage) pairs due on `day` and not yet sent."""
    due = []
    for stage, (low, high) in STAGE_DAYS.items():
        qs = (
            Certificate.objects.filter(is_current=True, revoked_on__isnull=True)
            .expiring_between(day + dt.timedelta(days=low), day + dt.timedelta(days=high))
            .exclude(Q(reminders__stage=stage))
            .select_related("product", "product__producer")
            .order_by("expires_on", "pk")
        )
        due.extend((certificate, stage) for certificate in qs)
    return due


def stage_on(certificate: Certificate, day: dt.date) -> str:
    """The stage whose wording fits a reminder sent by hand on `day`: the one whose days-left range
    holds it, else the window's opening before the window closes, else the expiry."""
    left = (certificate.expires_on - day).days
    for stage, (low, high) in STAGE_DAYS.items():
        if low <= left <= high:
            return stage
    return (
        ReminderStage.WINDOW_OPEN
        if left > STAGE_DAYS[ReminderStage.WINDOW_CLOSING][0]
        else ReminderStage.EXPIRY
    )


def log_reminder(
    certificate: Certificate, recipients, *, source: str, stage: str = "", actor=None
) -> ReminderLog:
    """One line of the certificate's reminder log: who sent it, how, and to whom."""
    recipients = list(recipients)
    return ReminderLog.objects.create(
        certificate=certificate,
        source=source,
        stage=stage,
        sent_by=actor,
        in_app=True,
        by_email=any(u.email for u in recipients),
        recipients=[f"{u} <{u.email}>" if u.email else str(u) for u in recipients],
    )


def reminder_text(certificate: Certificate, stage: str, day: dt.date) -> tuple[str, str]:
    product = certificate.product
    left = (certificate.expires_on - day).days
    facts = {
        "p": product.name,
        "c": product.producer_name,
        "n": certificate.display_number,
        "s": certificate.stars,
        "e": _d(certificate.expires_on),
        "o": _d(certificate.reevaluation_opens_on),
        "z": _d(certificate.reevaluation_closes_on),
        "k": (certificate.reevaluation_closes_on - day).days,
        "l": left,
    }
    head = (
        _("Giấy chứng nhận OCOP số %(n)s (%(s)d sao) của sản phẩm «%(p)s» (%(c)s) hết hiệu lực ngày %(e)s.")
        % facts
    )
    rule = (
        _(
            "Theo Điều 7 Quyết định 26/2026/QĐ-TTg, hồ sơ đánh giá lại nộp không sớm hơn 180 ngày "
            "và không muộn hơn "
            "120 ngày trước ngày hết hiệu lực, tức là từ %(o)s đến %(z)s."
        )
        % facts
    )
    if stage == ReminderStage.WINDOW_OPEN:
        title = _("Đã mở thời hạn nộp hồ sơ đánh giá lại: %(p)s") % facts
        body = f"{head}\n{rule}"
    elif stage == ReminderStage.WINDOW_CLOSING:
        title = _("Sắp hết thời hạn nộp hồ sơ đánh giá lại: %(p)s") % facts
        body = (
            f"{head}\n{rule}\n"
            + ngettext(
                "Chỉ còn %(k)d ngày để nộp hồ sơ đánh giá lại.",
                "Chỉ còn %(k)d ngày để nộp hồ sơ đánh giá lại.",
                facts["k"],
            )
            % facts
        )
    else:
        title = _("Giấy chứng nhận OCOP sắp hết hiệu lực: %(p)s") % facts
        body = (
            f"{head}\n"
            + ngettext(
                "Còn %(l)d ngày. Sau ngày này sản phẩm không còn được sử dụng biểu trưng OCOP "
                "nếu chưa được đánh giá lại.",
                "Còn %(l)d ngày. Sau ngày này sản phẩm không còn được sử dụng biểu trưng OCOP "
                "nếu chưa được đánh giá lại.",
                left,
            )
            % facts
        )
    return title, body


def send_expiry_reminders(day: dt.date | None = None) -> dict:
    """Send every reminder due on `day` (today by default). Safe to run twice, or twice at once."""
    from notices.services import notice_send

    day = day or timezone.localdate()
    stats = {"reminders": 0, "notices": 0, "skipped_no_recipient": 0}
    for certificate, stage in due_reminders(day):
        recipients = list(certificate_recipients(certificate))
        if not recipients:
            # Nobody to tell yet: a later run tells the accounts created meanwhile.
            stats["skipped_no_recipient"] += 1
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ExpiryReminder.objects.create(
                        certificate=certificate, stage=stage, sent_on=day, recipients=len(recipients)
                    )
            except IntegrityError:
                continue  # another run sent this one a moment ago
            title, body = reminder_text(certificate, stage, day)
            notices = notice_send(
                recipients, title=title, body=body, url=reverse("certificates:detail", args=[certificate.pk])
            )
            log_reminder(certificate, recipients, source=ReminderLog.Source.PERIODIC, stage=stage)
        stats["reminders"] += 1
        stats["notices"] += len(notices)
    return stats
