"""A sample market-information page (dữ liệu mẫu): what a producer of star anise (hoa hồi) should
check before selling to China through Lạng Sơn's border gates. General guidance only, no figures;
the office replaces it with the current rules. Idempotent: a page found by title is left alone."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from market.models import Audience, MarketPage
from market.services import market_page_create

ORDER = 86
TITLE = "Xuất khẩu hoa hồi sang Trung Quốc qua cửa khẩu Lạng Sơn: những điều cần biết (dữ liệu mẫu)"
BODY = """\
> Dữ liệu mẫu để minh họa: nội dung mang tính hướng dẫn chung, không thay thế văn bản của cơ quan có
> thẩm quyền. Hãy kiểm tra quy định hiện hành trước khi ký hợp đồng.

## Vì sao cần lưu ý

Hoa hồi là sản phẩm chủ lực của nhiều xã ở Lạng Sơn và được bán sang Trung Quốc qua các cửa khẩu của
tỉnh. Thị trường này ngày càng yêu cầu hàng hóa **chính ngạch**, có nguồn gốc rõ ràng và đáp ứng
quy định kiểm dịch, an toàn thực phẩm của nước nhập khẩu.

## Các việc chủ thể nên chuẩn bị

1. **Mã số vùng trồng và cơ sở đóng gói** (nếu thị trường yêu cầu với mặt hàng của mình): hỏi cơ quan
   trồng trọt và bảo vệ thực vật thuộc Sở Nông nghiệp và Môi trường.
2. **Kiểm dịch thực vật** cho từng lô hàng xuất khẩu.
3. **Hợp đồng, chứng từ** theo hình thức xuất khẩu chính ngạch; ghi nhãn đúng quy định.
4. **Truy xuất nguồn gốc**: ghi chép vùng nguyên liệu, ngày thu hái, sấy và đóng gói.
5. **Chất lượng**: độ ẩm, tạp chất, không nấm mốc; bảo quản khô, sạch.

## Hỏi ở đâu

- Sở Công Thương tỉnh Lạng Sơn: thông tin thị trường, xúc tiến thương mại.
- Sở Nông nghiệp và Môi trường: mã số vùng trồng, kiểm dịch thực vật, an toàn thực phẩm.
- Văn phòng Điều phối nông thôn mới và OCOP tỉnh.

Xem thêm: [danh mục sản phẩm OCOP](/san-pham/) · [điểm bán sản phẩm OCOP](/diem-ban/)
"""


@transaction.atomic
def load(log=print) -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        log("market demo: no admin account, no sample page")
        return
    if MarketPage.objects.filter(title=TITLE).exists():
        log("market demo: sample page already there")
        return
    market_page_create(
        actor=admin,
        title=TITLE,
        category="export_rules",
        audience=Audience.PUBLIC,
        summary=(
            "Mã số vùng trồng, kiểm dịch thực vật, chứng từ chính ngạch và truy xuất nguồn gốc (dữ liệu mẫu)."
        ),
        body=BODY,
        publish_at=timezone.now(),
        is_sample=True,
    )
    log("market demo: 1 sample market-information page published")
