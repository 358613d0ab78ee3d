from django.core.management.base import BaseCommand, CommandError

from backoffice.synthetic import REFERENCE_DATE, generate, marker
from core.content import public_content_changed


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu tổng hợp (synthetic) để kiểm thử quy mô: chủ thể, sản phẩm OCOP và giấy chứng nhận "
        "của Lạng Sơn, sinh tất định từ --seed (cùng --products và --seed cho cùng kết quả; ngày tính theo "
        f"mốc cố định {REFERENCE_DATE:%d/%m/%Y}). Ghi bằng bulk_create nên KHÔNG có lịch sử "
        "(django-simple-history) cho các dòng này. Chạy lại cùng seed thì bỏ qua. "
        "Synthetic load-test data, deterministic per seed; bulk rows have no simple-history records; "
        "a second run with the same seed creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, required=True, help="số sản phẩm cần tạo")
        parser.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên (≥ 0), mặc định 1")
        parser.add_argument(
            "--batch", type=int, default=2000, help="số sản phẩm mỗi giao dịch (mặc định 2000)"
        )

    def handle(self, *args, products, seed, batch, **options):
        if products < 0 or seed < 0 or batch < 1:
            raise CommandError("--products và --seed phải ≥ 0, --batch phải ≥ 1.")
        stats = generate(products, seed, batch=batch, log=self.stdout.write)
        public_content_changed()  # bulk_create bypasses the services' own bump
        if stats["skipped"]:
            self.stdout.write(
                self.style.WARNING(
                    f"Seed {seed} đã có dữ liệu (slug chứa '{marker(seed)}'): không tạo thêm. "
                    "Dùng seed khác để thêm dữ liệu."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Đã tạo dữ liệu tổng hợp."))
