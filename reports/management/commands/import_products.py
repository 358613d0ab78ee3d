from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from reports.importing import OLD_NAME, ImportFileError, import_products, read_table


class Command(BaseCommand):
    # The project's system checks add ~1.7 s to every run and concern the web site, not a file import.
    requires_system_checks = []
    help = (
        "Nhập danh sách sản phẩm OCOP (chủ thể, sản phẩm, giấy chứng nhận) từ tệp Excel (.xlsx) "
        "hoặc CSV (UTF-8). Có lỗi thì không ghi gì và thoát với mã khác 0."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .xlsx hoặc .csv")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và xem trước, không ghi")
        parser.add_argument(
            "--user", help="Tên đăng nhập của người nhập (mặc định: tài khoản quản trị đầu tiên)"
        )

    def handle(self, *args, file, dry_run, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}")
        try:
            table = read_table(path.read_bytes(), path.name)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        actor = self._actor(user)
        report = import_products(table, actor=actor, commit=not dry_run)
        out = self.stdout
        out.write(f"Dòng tiêu đề: dòng {table.header_line}; {len(table.rows)} dòng dữ liệu.")
        if table.ignored:
            out.write("Các cột không dùng: " + ", ".join(table.ignored))
        if table.skipped:
            out.write(
                f"Bỏ qua {table.skipped} dòng không phải sản phẩm "
                "(tiêu đề nhóm, nơi và ngày ký, chữ ký, ghi chú)."
            )
        if table.decision_number or table.decision_date:
            day = table.decision_date.strftime("%d/%m/%Y") if table.decision_date else "—"
            out.write(f"Quyết định ghi ở tiêu đề: số {table.decision_number or '—'}, ngày {day}.")
        for row in report.rows:
            if row.place == OLD_NAME:
                out.write(f"Dòng {row.line}: địa chỉ theo tên cũ: {row.place_note}")
            for warning in row.warnings:
                out.write(f"Dòng {row.line}: {warning}")
        if not report.ok:
            for line, column, message in report.errors:
                self.stderr.write(f"Dòng {line}, cột {column}: {message}")
            raise CommandError(f"Có {len(report.errors)} lỗi: không ghi dòng nào.")
        prefix = "Xem trước (không ghi): " if dry_run else "Đã nhập: "
        out.write(self.style.SUCCESS(prefix + report.summary()))

    def _actor(self, username):
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản {username}")
            return actor
        actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError("Chưa có tài khoản quản trị: dùng --user TÊN_ĐĂNG_NHẬP")
        return actor
