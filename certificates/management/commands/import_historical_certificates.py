from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from accounts.models import User
from certificates.importing import ImportFileError, import_historical, read_table


class Command(BaseCommand):
    help = (
        "Nhập giấy chứng nhận OCOP cấp trước khi có hệ thống từ tệp CSV (UTF-8) hoặc Excel (.xlsx). "
        "Tất cả hoặc không: có lỗi thì không ghi dòng nào. Nhập lại cùng tệp sẽ cập nhật, không nhân đôi."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .csv hoặc .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì.")
        parser.add_argument("--user", help="Tên đăng nhập ghi vào lịch sử thay đổi (tùy chọn).")

    def handle(self, *args, file, dry_run=False, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}")
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản {user}")
        with translation.override(settings.LANGUAGE_CODE):
            try:
                table = read_table(path.read_bytes(), path.name)
            except ImportFileError as exc:
                raise CommandError(str(exc)) from exc
            report = import_historical(table, actor=actor, commit=not dry_run, check_perm=False)
        for line, column, message in report.errors:
            self.stderr.write(f"Dòng {line}, cột «{column}»: {message}")
        if not report.ok:
            raise CommandError(f"{len(report.errors)} lỗi: không ghi dòng nào.")
        verb = "Sẽ nhập" if dry_run else "Đã nhập"
        self.stdout.write(
            f"{verb} {report.created} giấy chứng nhận mới, cập nhật {report.updated} giấy đã có"
            + (" (chạy thử, chưa ghi)." if dry_run else ".")
        )
