import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from certificates.reminders import send_expiry_reminders


class Command(BaseCommand):
    help = (
        "Nhắc hạn giấy chứng nhận OCOP: mở (180 ngày) và sắp đóng (120 ngày) thời hạn nộp hồ sơ "
        "đánh giá lại, "
        "30 ngày trước khi hết hiệu lực. Chạy hằng ngày; chạy lại không gửi trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Ngày coi là hôm nay, dạng YYYY-MM-DD (mặc định: hôm nay).")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today phải có dạng YYYY-MM-DD, nhận được {today!r}") from exc
        with translation.override(settings.LANGUAGE_CODE):
            stats = send_expiry_reminders(day)
        self.stdout.write(
            f"send_expiry_reminders: {stats['reminders']} lượt nhắc, {stats['notices']} thông báo; "
            f"{stats['skipped_no_recipient']} giấy chưa có tài khoản nhận."
        )
