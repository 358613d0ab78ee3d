from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.content import public_content_changed
from core.registry import app_modules


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (sản phẩm OCOP thật của Lạng Sơn, đánh dấu là dữ liệu mẫu) và tài khoản demo."

    def handle(self, *args, **options):
        call_command("load_reference", stdout=self.stdout)
        for module in app_modules("demo"):
            module.load(log=self.stdout.write)
        public_content_changed()  # bulk demo rows bypass the services' own bump
