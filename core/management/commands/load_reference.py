from django.core.management.base import BaseCommand

from core.registry import app_modules


class Command(BaseCommand):
    help = "Nạp dữ liệu danh mục (đơn vị hành chính, phân loại sản phẩm OCOP…) từ tệp dữ liệu của dự án."

    def handle(self, *args, **options):
        for module in app_modules("reference"):
            module.load(log=self.stdout.write)
