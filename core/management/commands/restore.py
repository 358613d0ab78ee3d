from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import restore_backup
from core.content import public_content_changed


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu vào cơ sở dữ liệu trống đã migrate (python manage.py migrate trước)."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore_backup(Path(archive))
            public_content_changed()  # pages cached before the restore show other data
        except (ValueError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restore: {sum(manifest['models'].values())} rows, {len(manifest['files'])} files")
