import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.backup import create_backup


class Command(BaseCommand):
    help = "Sao lưu nhất quán cơ sở dữ liệu và tệp tải lên vào một tệp .tar.gz (mặc định var/backups/)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="đường dẫn tệp sao lưu")

    def handle(self, *args, output=None, **options):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = (
            Path(output) if output else Path(settings.STATIC_ROOT).parent / "backups" / f"ocop-{stamp}.tar.gz"
        )
        manifest = create_backup(target)
        rows = sum(manifest["models"].values())
        self.stdout.write(
            f"backup: {target} ({rows} rows in {len(manifest['models'])} tables, "
            f"{len(manifest['files'])} files)"
        )
