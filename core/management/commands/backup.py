from pathlib import Path

from django.core.management.base import BaseCommand

from core.backup import scheduled_backup, write_backup


class Command(BaseCommand):
    help = (
        "Sao lưu nhất quán cơ sở dữ liệu và tệp tải lên vào một tệp .tar.gz "
        "(mặc định OCOP_VAR_DIR/backups/, giữ OCOP_BACKUP_KEEP bản mới nhất)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="đường dẫn tệp sao lưu")
        parser.add_argument(
            "--keep",
            type=int,
            help="không có --output: chỉ giữ N bản sao lưu mới nhất (mặc định OCOP_BACKUP_KEEP)",
        )

    def handle(self, *args, output=None, keep=None, **options):
        if output:
            target = Path(output)
            manifest = write_backup(target)
        else:
            target, manifest = scheduled_backup(keep=keep)
        rows = sum(manifest["models"].values())
        self.stdout.write(
            f"backup: {target} ({rows} rows in {len(manifest['models'])} tables, "
            f"{len(manifest['files'])} files)"
        )
