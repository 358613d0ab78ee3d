"""Synthetic OCOP data for load and scale testing: plausible Lạng Sơn producers, products and
certificates, generated deterministically from a seed.

Same (n_products, seed) → identical rows: one random.Random(seed) drives everything and dates
are drawn relative to the fixed REFERENCE_DATE, never today. Rows are written by
core.bulk.BulkWriter without history (one transaction per batch). Every row carries the marker
"-syn<seed>-" in its slug; a second run with a seed whose rows exist skips with a message.

The distribution follows the real one: Lạng Sơn has certified about 235 products (213 at 3★,
22 at 4★, none at 5★ locally, about 30% lapsed); nationally about 73% 3★, 24% 4★, <1% 5★.
"""

import datetime as dt
import random
import time
from bisect import bisect
from decimal import Decimal
from itertools import accumulate

from django.db import transaction

from certificates.models import PUBLIC_CODE_ALPHABET, VALIDITY_MONTHS, Certificate, add_months
from certificates.services import product_figures_refresh
from core.bulk import BulkWriter
from core.text import slugify_vi
from geo.models import Commune
from producers.models import Producer, ProducerKind
from producers.services import producer_prepare
from products.models import Classification, Product, ProductStatus
from products.services import product_prepare

REFERENCE_DATE = dt.date(2026, 11, 1)
SCHEME = "QD26-2026"
SYNTHETIC_NOTE = "Dữ liệu tổng hợp (synthetic)"
SLUG_MAX = 120

QD148_FROM = dt.date(2023, 2, 24)
QD26_FROM = dt.date(2026, 5, 22)
DISTRICTS_ABOLISHED = dt.date(2025, 7, 1)
MINISTRY_RENAMED = dt.date(2025, 3, 1)

KIND_WEIGHTS = (
    (ProducerKind.COOPERATIVE, 33),
    (ProducerKind.ENTERPRISE, 24),
    (ProducerKind.HOUSEHOLD, 40),
    (ProducerKind.COOPERATIVE_GROUP, 2),
    (ProducerKind.FARM, 1),
)
PRODUCTS_PER_PRODUCER = ((1, 45), (2, 35), (3, 20))
STATUS_WEIGHTS = ((ProductStatus.ACTIVE, 92), (ProductStatus.DRAFT, 5), (ProductStatus.RETIRED, 3))
# Drafts are never certified; active and retired products are, with this probability (≈85% overall).
CERTIFIED_SHARE = 0.895
STAR_WEIGHTS = ((3, 74), (4, 24), (5, 2))
SCORE_BANDS = {3: (5000, 6999), 4: (7000, 8999), 5: (9000, 10000)}  # hundredths of a point
# Issue years weighted to recent ones; with 36-month validity about 30% have lapsed on REFERENCE_DATE.
YEAR_WEIGHTS = (
    (2019, 2),
    (2020, 4),
    (2021, 7),
    (2022, 8),
    (2023, 12),
    (2024, 20),
    (2025, 25),
    (2026, 22),
)
FIRST_ISSUE = dt.date(2019, 9, 1)  # Decision 1048/QĐ-TTg of 21/08/2019
REVOKE_SHARE = {ProductStatus.ACTIVE: 0.025, ProductStatus.RETIRED: 0.2}
REVOKE_REASONS = (
    "Sản phẩm không duy trì được chất lượng như hồ sơ đánh giá, phân hạng.",
    "Chủ thể đề nghị thu hồi do ngừng sản xuất sản phẩm.",
    "Kết quả kiểm tra sau công nhận không đạt yêu cầu về an toàn thực phẩm.",
    "Vi phạm quy định sử dụng biểu trưng (logo) OCOP trên bao bì.",
    "Chủ thể giải thể, chấm dứt hoạt động sản xuất kinh doanh.",
    "Thay đổi thành phần, công thức sản phẩm so với hồ sơ được công nhận.",
)

# (stem, leaf code, weight). Weights favour Lạng Sơn's signature products.
STEMS = (
    ("Na", "I.1.a", 40),
    ("Na dai", "I.1.a", 15),
    ("Hồng không hạt", "I.1.a", 18),
    ("Quýt vàng", "I.1.a", 15),
    ("Trám đen", "I.1.a", 6),
    ("Rau bò khai", "I.1.a", 4),
    ("Măng tươi", "I.1.a", 5),
    ("Ngồng hoa cải", "I.1.a", 3),
    ("Lợn đen", "I.1.b", 5),
    ("Gà đồi", "I.1.b", 5),
    ("Trứng gà ri", "I.1.b", 3),
    ("Cá chép ruộng", "I.1.b", 2),
    ("Gạo Bao thai", "I.2.a", 5),
    ("Gạo nếp cẩm", "I.2.a", 3),
    ("Ngô nếp", "I.2.a", 3),
    ("Mật ong", "I.2.b", 14),
    ("Mật ong ngũ gia bì", "I.2.b", 5),
    ("Mật ong hoa rừng", "I.2.b", 5),
    ("Phở chua", "I.3.a", 8),
    ("Bánh áp chao", "I.3.a", 3),
    ("Xôi trám", "I.3.a", 3),
    ("Bánh chưng đen", "I.3.b", 10),
    ("Bún ngô", "I.3.b", 4),
    ("Phở khô", "I.3.b", 5),
    ("Bánh khảo", "I.3.b", 4),
    ("Thạch đen", "I.3.c", 16),
    ("Miến dong", "I.3.c", 12),
    ("Hồng sấy", "I.3.c", 5),
    ("Măng khô", "I.3.c", 6),
    ("Na sấy dẻo", "I.3.c", 3),
    ("Khâu nhục", "I.3.d", 10),
    ("Vịt quay", "I.3.d", 10),
    ("Lạp sườn", "I.3.d", 5),
    ("Nem nướng", "I.3.d", 3),
    ("Thịt lợn gác bếp", "I.3.d", 4),
    ("Tương ớt", "I.4.a", 4),
    ("Tương đậu", "I.4.a", 3),
    ("Giấm táo mèo", "I.4.a", 2),
    ("Hồi khô", "I.4.b", 12),
    ("Bột hồi", "I.4.b", 4),
    ("Quế khô", "I.4.b", 3),
    ("Hạt dổi", "I.4.b", 2),
    ("Chè Shan tuyết", "I.5.a", 8),
    ("Chè xanh", "I.5.a", 5),
    ("Chè Mẫu Sơn", "I.5.a", 3),
    ("Trà hoa vàng", "I.5.b", 3),
    ("Trà giảo cổ lam", "I.5.b", 3),
    ("Trà diếp cá", "I.5.b", 2),
    ("Cà phê rang xay", "I.6", 2),
    ("Bột ca cao", "I.6", 1),
    ("Rượu men lá", "II.1.a", 12),
    ("Rượu ngô", "II.1.a", 4),
    ("Rượu Mẫu Sơn", "II.1.a", 4),
    ("Rượu táo mèo", "II.1.b", 3),
    ("Rượu mơ", "II.1.b", 2),
    ("Nước khoáng thiên nhiên", "II.2.a", 2),
    ("Nước uống đóng chai", "II.2.a", 2),
    ("Nước ép quýt", "II.2.b", 2),
    ("Siro na", "II.2.b", 2),
    ("Cao ngũ gia bì", "III.1", 3),
    ("Cao xương gà đen", "III.1", 2),
    ("Quy linh cao", "III.1", 2),
    ("Xà phòng tinh dầu hồi", "III.2", 2),
    ("Dầu gội thảo dược", "III.2", 2),
    ("Tinh dầu hồi", "III.3", 8),
    ("Tinh dầu quế", "III.3", 3),
    ("Ngũ gia bì khô", "III.3", 2),
    ("Đồ mây tre đan", "IV.1", 3),
    ("Chổi chít", "IV.1", 2),
    ("Thổ cẩm Tày", "IV.2", 2),
    ("Khăn thổ cẩm", "IV.2", 1),
    ("Hoa đào", "V.1", 3),
    ("Lan rừng", "V.1", 1),
    ("Cây đào cảnh", "V.2", 2),
    ("Cây hồng cảnh", "V.2", 1),
    ("Cá cảnh", "V.3", 1),
    ("Gà tre cảnh", "V.3", 1),
    ("Du lịch cộng đồng", "VI.1", 2),
    ("Homestay", "VI.1", 1),
)
# Specialities: these stems are three times as likely in communes of that name.
SPECIALITIES = {
    "Chi Lăng": ("Na", "Na dai", "Na sấy dẻo", "Siro na"),
    "Hữu Lũng": ("Na", "Na dai", "Rượu ngô"),
    "Tràng Định": ("Thạch đen", "Gạo Bao thai"),
    "Thất Khê": ("Thạch đen", "Vịt quay"),
    "Bắc Sơn": ("Quýt vàng", "Nước ép quýt", "Du lịch cộng đồng"),
    "Văn Quan": ("Hồi khô", "Tinh dầu hồi", "Rượu men lá", "Bột hồi"),
    "Bình Gia": ("Hồi khô", "Tinh dầu hồi", "Quế khô"),
    "Mẫu Sơn": ("Chè Mẫu Sơn", "Rượu Mẫu Sơn", "Hoa đào", "Homestay"),
    "Lộc Bình": ("Khâu nhục", "Lợn đen"),
    "Đình Lập": ("Chè Shan tuyết", "Măng khô", "Quế khô"),
    "Cao Lộc": ("Hồng không hạt", "Hồng sấy", "Rau bò khai"),
    "Kỳ Lừa": ("Phở chua", "Vịt quay", "Bánh áp chao"),
    "Đông Kinh": ("Phở chua", "Vịt quay", "Lạp sườn"),
    "Lương Văn Tri": ("Phở chua", "Bánh khảo"),
    "Tam Thanh": ("Hoa đào", "Cây đào cảnh"),
    "Na Sầm": ("Rượu men lá", "Miến dong"),
    "Đồng Đăng": ("Bánh chưng đen", "Tương ớt"),
}
# Packaging choices and price range (VND) per leaf.
LEAF_GOODS = {
    "I.1.a": (("Thùng carton 5 kg", "Túi lưới 2 kg", "Hộp 1 kg"), 20_000, 150_000),
    "I.1.b": (("Con nguyên (1,5–2 kg)", "Khay 500 g", "Hộp 10 quả"), 40_000, 400_000),
    "I.2.a": (("Túi 2 kg", "Túi 5 kg", "Bao 10 kg"), 30_000, 250_000),
    "I.2.b": (("Chai 500 ml", "Chai 1 lít", "Hũ 350 g"), 150_000, 800_000),
    "I.3.a": (("Suất 1 người", "Hộp 500 g", "Khay 1 kg"), 20_000, 120_000),
    "I.3.b": (("Túi 500 g", "Gói 1 kg", "Chiếc 1 kg"), 25_000, 150_000),
    "I.3.c": (("Túi 500 g", "Hộp 1 kg", "Gói 200 g"), 30_000, 250_000),
    "I.3.d": (("Hộp 500 g", "Túi hút chân không 1 kg", "Con nguyên"), 120_000, 900_000),
    "I.4.a": (("Chai 250 ml", "Chai 500 ml", "Hũ 200 g"), 20_000, 120_000),
    "I.4.b": (("Túi 200 g", "Túi 500 g", "Hộp 100 g"), 40_000, 400_000),
    "I.5.a": (("Hộp 200 g", "Túi 500 g", "Hộp quà 2 x 100 g"), 80_000, 1_200_000),
    "I.5.b": (("Hộp 20 túi lọc", "Túi 250 g", "Hộp 100 g"), 60_000, 600_000),
    "I.6": (("Túi 250 g", "Túi 500 g", "Hộp 200 g"), 80_000, 500_000),
    "II.1.a": (("Chai 500 ml", "Chai 750 ml", "Can 2 lít"), 60_000, 600_000),
    "II.1.b": (("Chai 500 ml", "Bình 1 lít", "Hộp quà 2 chai"), 100_000, 900_000),
    "II.2.a": (("Chai 500 ml", "Thùng 24 chai", "Bình 19 lít"), 20_000, 150_000),
    "II.2.b": (("Chai 330 ml", "Thùng 24 chai", "Chai 1 lít"), 20_000, 300_000),
    "III.1": (("Hộp 100 g", "Lọ 60 viên", "Hộp 10 ống"), 150_000, 1_500_000),
    "III.2": (("Chai 300 ml", "Bánh 100 g", "Hộp 3 bánh"), 40_000, 400_000),
    "III.3": (("Lọ 10 ml", "Lọ 50 ml", "Túi 1 kg"), 60_000, 1_200_000),
    "IV.1": (("Chiếc", "Bộ 3 chiếc", "Bó 10 chiếc"), 30_000, 1_000_000),
    "IV.2": (("Chiếc", "Tấm 2 m", "Bộ"), 80_000, 1_500_000),
    "V.1": (("Cành", "Bó 10 cành", "Chậu"), 50_000, 1_000_000),
    "V.2": (("Chậu nhỏ", "Chậu lớn", "Cây"), 200_000, 1_500_000),
    "V.3": (("Con", "Cặp", "Bể 10 con"), 50_000, 1_500_000),
    "VI.1": (("Vé 1 người/ngày", "Gói 2 ngày 1 đêm", "Phòng đôi/đêm"), 100_000, 1_500_000),
}
BRANDS = (
    "Hồng Nhung",
    "Nông Gia",
    "Hoàng Quyên",
    "Khôi Loan",
    "Minh Khai",
    "Vân Thủy",
    "Thuận Anh",
    "Lụa Vy",
    "Xứ Lạng",
    "Kỳ Lừa",
    "Mẫu Sơn Xanh",
    "Bản Tày",
    "Phố Núi",
    "Hương Rừng",
    "An Phú",
    "Tân Lộc",
    "Phúc Hưng",
    "Đồng Xuân",
    "Hà Anh",
    "Thanh Bình",
    "Việt Bắc",
    "Sầm Thu",
    "Hải Yến",
    "Nhật Minh",
    "Bảo Ngọc",
    "Trường Thịnh",
    "Gia Khánh",
    "Lộc Phát",
    "Hưng Thịnh",
    "Đại Dương",
    "Xuân Mai",
    "Thu Hà",
    "Mai Linh",
    "Quang Vinh",
    "Kim Thoa",
    "Đức Tâm",
    "Phương Nam",
    "Tùng Lâm",
)
PLACE_WORDS = ("Xứ Lạng", "Lạng Sơn", "Việt Bắc")
SURNAMES = (
    "Hoàng",
    "Nông",
    "Lương",
    "Vi",
    "Lộc",
    "Hà",
    "Triệu",
    "Lăng",
    "Chu",
    "Mông",
    "Hứa",
    "Đàm",
    "Bế",
    "Lý",
    "Dương",
    "Tô",
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Vũ",
    "Đinh",
    "Lành",
    "Ma",
    "Sầm",
    "Hoàng",
    "Nông",
    "Lương",
    "Nguyễn",
    "Hoàng",
)
MIDDLE = {
    "m": ("Văn", "Đức", "Minh", "Quang", "Xuân", "Hữu", "Công", "Văn"),
    "f": ("Thị", "Thu", "Ngọc", "Thanh", "Kim", "Thị"),
}
GIVEN = {
    "m": (
        "Hùng",
        "Dũng",
        "Tuấn",
        "Thắng",
        "Cường",
        "Hải",
        "Long",
        "Sơn",
        "Quân",
        "Bình",
        "Toàn",
        "Khải",
        "Nam",
        "Trung",
        "Phúc",
        "Lâm",
        "Tài",
        "Vinh",
        "Đạt",
        "Kiên",
        "Khánh",
        "Hoan",
    ),
    "f": (
        "Lan",
        "Hoa",
        "Hương",
        "Nhung",
        "Mai",
        "Thủy",
        "Hạnh",
        "Loan",
        "Quyên",
        "Yến",
        "Vân",
        "Nga",
        "Phương",
        "Linh",
        "Chỉ",
        "Dung",
        "Thảo",
        "Hằng",
        "Huyền",
        "Thoa",
    ),
}
VILLAGES = (
    "Nà Thán",
    "Nà Pàn",
    "Pác Khuông",
    "Bản Cầm",
    "Khòn Khuất",
    "Còn Riềng",
    "Nà Lừa",
    "Khuổi Bốc",
    "Pò Nhùng",
    "Nà Cạn",
    "Bó Củng",
    "Kéo Coong",
    "Lũng Vài",
    "Nà Sla",
    "Pác Làng",
    "Bản Chắt",
    "Khòn Pát",
    "Nà Tèng",
    "Phiêng Luông",
    "Thâm Mè",
    "Làng Mới",
    "Đon Chợ",
    "Nà Hu",
    "Coóc Mò",
    "Quỳnh Sơn",
    "Bản Pẻn",
    "Nà Khuông",
    "Khau Khảo",
)
STREETS = (
    "Trần Đăng Ninh",
    "Lê Lợi",
    "Bà Triệu",
    "Tam Thanh",
    "Nhị Thanh",
    "Phai Vệ",
    "Hùng Vương",
    "Lý Thái Tổ",
    "Bắc Sơn",
    "Ngô Quyền",
    "Văn Vỉ",
    "Lê Đại Hành",
    "Trần Phú",
    "Tô Thị",
)


def _cum(weighted):
    items = [item for item, _ in weighted]
    return items, list(accumulate(w for _, w in weighted))


def _pick(rng: random.Random, table) -> object:
    items, cum = table
    return items[bisect(cum, rng.random() * cum[-1])]


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def marker(seed: int) -> str:
    """The text every slug of this seed's rows contains."""
    return f"-syn{seed}-"


def _slug(name: str, seed: int, n: int) -> str:
    suffix = f"{marker(seed)}{_base36(n)}"
    return slugify_vi(name, max_length=SLUG_MAX - len(suffix)) + suffix


def _tax_codes(rng: random.Random, taken: set[str]):
    """Endless valid 10-digit tax codes in the 8xxxxxxxx range, from a seed-derived offset."""
    from core.validators import _TAX_WEIGHTS

    counter = rng.randrange(10**8)
    while True:
        head = f"8{counter % 10**8:08d}"
        counter += 1
        remainder = sum(int(d) * w for d, w in zip(head, _TAX_WEIGHTS, strict=True)) % 11
        if remainder == 0:  # the check digit would be 10: no valid code with this head
            continue
        code = head + str(10 - remainder)
        if code not in taken:
            taken.add(code)
            yield code


def _coordinate(rng: random.Random, centre) -> Decimal:
    return Decimal(f"{float(centre) + rng.uniform(-0.03, 0.03):.5f}")


def _price(rng: random.Random, lo: int, hi: int) -> tuple[int, int]:
    low = rng.randint(lo // 1000, hi // 1000) * 1000
    high = min(1_500_000, int(low * rng.uniform(1.0, 2.0)) // 1000 * 1000)
    return low, max(low, high)


class _Generator:
    def __init__(self, seed: int, communes, leaves, taken_codes: set[str], taken_public: set[str]):
        self.rng = rng = random.Random(seed)
        self.seed = seed
        self.communes = communes
        self.leaves = leaves
        self.kinds = _cum(KIND_WEIGHTS)
        self.sizes = _cum(PRODUCTS_PER_PRODUCER)
        self.statuses = _cum(STATUS_WEIGHTS)
        self.stars = _cum(STAR_WEIGHTS)
        self.years = _cum(YEAR_WEIGHTS)
        self.commune_table = _cum([(c, c.population or 10_000) for c in communes])
        self.stems_by_commune = {
            c.pk: _cum(
                [((s, leaf), w * (3 if s in SPECIALITIES.get(c.name, ()) else 1)) for s, leaf, w in STEMS]
            )
            for c in communes
        }
        self.stems_by_leaf = {
            code: _cum([((s, leaf), w) for s, leaf, w in STEMS if leaf == code]) for code in leaves
        }
        # Coverage: the first producers take every commune once, the first products every sub-group.
        self.commune_queue = rng.sample(communes, len(communes))
        self.leaf_queue = rng.sample(sorted(leaves), len(leaves))
        self.tax_codes = _tax_codes(rng, taken_codes)
        self.taken_public = taken_public
        self.decisions: dict = {}
        self.n_producers = 0
        self.n_products = 0
        self.n_certificates = 0

    # -- people and places -------------------------------------------------------------------
    def person(self) -> str:
        rng = self.rng
        sex = "f" if rng.random() < 0.5 else "m"
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"

    def address(self, commune) -> str:
        rng = self.rng
        if commune.kind == Commune.Kind.PHUONG:
            return (
                f"Số {rng.randint(1, 250)} đường {rng.choice(STREETS)}, phường {commune.name}, tỉnh Lạng Sơn"
            )
        return f"Thôn {rng.choice(VILLAGES)}, xã {commune.name}, tỉnh Lạng Sơn"

    def place(self, commune) -> str:
        r = self.rng.random()
        if r < 0.75:
            return commune.name
        if r < 0.9:
            return self.rng.choice(VILLAGES)
        return self.rng.choice(PLACE_WORDS)

    # -- rows --------------------------------------------------------------------------------
    def producer_name(self, kind: str, commune, stem: str, representative: str) -> str:
        rng = self.rng
        place, brand = self.place(commune), rng.choice(BRANDS)
        if kind == ProducerKind.COOPERATIVE:
            options = (
                f"HTX Nông sản {place}",
                f"HTX Nông nghiệp {place}",
                f"HTX {stem} {place}",
                f"Hợp tác xã Dịch vụ nông nghiệp {brand}",
                f"HTX Chế biến nông sản {brand}",
            )
        elif kind == ProducerKind.ENTERPRISE:
            options = (
                f"Công ty TNHH {brand}",
                f"Công ty TNHH Nông sản {brand}",
                f"Công ty Cổ phần Thực phẩm {brand}",
                f"Công ty TNHH MTV Đặc sản {place}",
            )
        elif kind == ProducerKind.HOUSEHOLD:
            return f"Hộ kinh doanh {representative}"
        elif kind == ProducerKind.COOPERATIVE_GROUP:
            options = (f"Tổ hợp tác {stem} {place}", f"Tổ hợp tác sản xuất {place}")
        else:
            options = (f"Trang trại {representative}", f"Trang trại {stem.lower()} {place}")
        return rng.choice(options)

    def producer(self, commune, main_stem: str) -> Producer:
        rng = self.rng
        kind = _pick(rng, self.kinds)
        representative = self.person()
        name = self.producer_name(kind, commune, main_stem, representative)
        collective = kind in (ProducerKind.COOPERATIVE, ProducerKind.COOPERATIVE_GROUP)
        producer = Producer(
            name=name,
            slug=_slug(name, self.seed, self.n_producers),
            kind=kind,
            registration_code=next(self.tax_codes),
            representative=representative,
            address=self.address(commune),
            commune=commune,
            lat=_coordinate(rng, commune.lat),
            lng=_coordinate(rng, commune.lng),
            founding_year=rng.randint(1995 if kind == ProducerKind.ENTERPRISE else 2005, 2025),
            members_count=rng.randint(7, 120) if collective else None,
            employees_count=rng.randint(2, 80),
            description=f"{SYNTHETIC_NOTE}: chủ thể giả lập để kiểm thử quy mô.",
            is_sample=False,
            source_url="",
        )
        producer_prepare(producer)
        self.n_producers += 1
        return producer

    def stem(self, commune, index: int) -> tuple[str, str]:
        """(stem, leaf code) of the index-th product."""
        if index < len(self.leaf_queue):
            return _pick(self.rng, self.stems_by_leaf[self.leaf_queue[index]])
        return _pick(self.rng, self.stems_by_commune[commune.pk])

    def product(self, producer: Producer, commune, stem: str, leaf: str) -> Product:
        rng = self.rng
        place, brand = self.place(commune), rng.choice(BRANDS)
        r = rng.random()
        if stem.endswith("Mẫu Sơn"):  # the stem names its place already
            name = f"{stem} {brand}"
        elif r < 0.5:
            name = f"{stem} {place} {brand}"
        elif r < 0.75:
            name = f"{stem} {brand}"
        else:
            name = f"{stem} {place}"
        packagings, lo, hi = LEAF_GOODS[leaf]
        packaging = rng.choice(packagings)
        price_min, price_max = _price(rng, lo, hi)
        if rng.random() < 0.6:
            origin = f"Vùng nguyên liệu thôn {rng.choice(VILLAGES)}, xã {commune.name}"
        else:
            origin = f"Thu mua từ các hộ sản xuất tại {commune.name}, tỉnh Lạng Sơn"
        product = Product(
            name=name,
            slug=_slug(name, self.seed, self.n_products),
            producer=producer,
            category=self.leaves[leaf],
            description=f"{SYNTHETIC_NOTE}. {stem} của {producer.name}, sản xuất tại {commune.name}.",
            raw_material_origin=origin,
            specifications=f"Quy cách: {packaging.lower()}.",
            packaging=packaging,
            price_min=price_min,
            price_max=price_max,
            commune=commune,
            status=_pick(rng, self.statuses),
            is_sample=False,
            source_url="",
        )
        self.n_products += 1
        return product

    def decision(self, day: dt.date, issuer: str) -> str:
        key = (day, issuer)
        if key not in self.decisions:
            if issuer == Certificate.Issuer.MINISTRY:
                suffix = "QĐ-BNN-KTHT" if day < MINISTRY_RENAMED else "QĐ-BNNMT"
            else:
                suffix = "QĐ-UBND"
            self.decisions[key] = f"{self.rng.randint(100, 3999)}/{suffix}"
        return self.decisions[key]

    def public_code(self) -> str:
        while True:
            code = "".join(self.rng.choices(PUBLIC_CODE_ALPHABET, k=10))
            if code not in self.taken_public:
                self.taken_public.add(code)
                return code

    def certificate(self, product: Product) -> Certificate | None:
        rng = self.rng
        if product.status == ProductStatus.DRAFT or rng.random() >= CERTIFIED_SHARE:
            return None
        stars = _pick(rng, self.stars)
        year = _pick(rng, self.years)
        first = max(dt.date(year, 1, 1), FIRST_ISSUE)
        last = min(dt.date(year, 12, 31), REFERENCE_DATE - dt.timedelta(days=1))
        issued = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        expires = add_months(issued, VALIDITY_MONTHS)
        if issued >= QD26_FROM:
            criteria = "QD26-2026"
        elif issued >= QD148_FROM:
            criteria = "QD148-2023"
        else:
            criteria = "QD1048-2019"
        if stars == 5:
            issuer = Certificate.Issuer.MINISTRY
        elif stars == 3 and QD148_FROM <= issued < DISTRICTS_ABOLISHED:
            issuer = Certificate.Issuer.DISTRICT  # Decision 148/2023: districts recognised 3★
        else:
            issuer = Certificate.Issuer.PROVINCE
        lo, hi = SCORE_BANDS[stars]
        revoked_on, reason = None, ""
        span = (min(expires, REFERENCE_DATE) - issued).days
        if span > 60 and rng.random() < REVOKE_SHARE.get(product.status, 0):
            revoked_on = issued + dt.timedelta(days=rng.randint(30, span))
            reason = rng.choice(REVOKE_REASONS)
        self.n_certificates += 1
        return Certificate(
            product=product,
            number=f"OCOP-LS-{issued.year}-{self.n_certificates:06d}",
            stars=stars,
            score=Decimal(rng.randint(lo, hi)) / 100,
            criteria_set=criteria,
            issuer=issuer,
            decision_number=self.decision(issued, issuer),
            decision_date=issued,
            issued_on=issued,
            expires_on=expires,
            revoked_on=revoked_on,
            revoked_reason=reason,
            public_code=self.public_code(),
            is_current=True,
            is_sample=False,
            note=SYNTHETIC_NOTE,
        )

    def producer_with_products(self, remaining: int) -> tuple[Producer, list[Product], list[Certificate]]:
        """The next producer, its 1–3 products and their certificates (unsaved)."""
        rng = self.rng
        if self.n_producers < len(self.commune_queue):
            commune = self.commune_queue[self.n_producers]
        else:
            commune = _pick(rng, self.commune_table)
        size = min(_pick(rng, self.sizes), remaining)
        stems = [self.stem(commune, self.n_products + i) for i in range(size)]
        producer = self.producer(commune, stems[0][0])
        products = [self.product(producer, commune, stem, leaf) for stem, leaf in stems]
        certificates = [c for c in map(self.certificate, products) if c is not None]
        return producer, products, certificates


def seed_exists(seed: int) -> bool:
    tag = marker(seed)
    return (
        Product.objects.filter(slug__contains=tag).exists()
        or Producer.objects.filter(slug__contains=tag).exists()
    )


def _flush(producers, products, certificates, stats) -> None:
    writer = BulkWriter(None, history=False)
    with transaction.atomic():
        writer.insert(Producer, producers)
        for product in products:
            # Re-assigning the cached (now saved) producer sets producer_id without a query.
            product.producer = product.producer
            product_prepare(product)  # search_text exactly as products.services composes it
        writer.insert(Product, products)
        for certificate in certificates:
            certificate.product = certificate.product
        writer.insert(Certificate, certificates)
        product_figures_refresh(c.product_id for c in certificates)  # the catalogue's figures
    stats["producers"] += len(producers)
    stats["products"] += len(products)
    stats["certificates"] += len(certificates)
    for certificate in certificates:
        stats["stars"][certificate.stars] += 1
        stats["revoked"] += certificate.revoked_on is not None
        stats["lapsed"] += certificate.revoked_on is None and certificate.expires_on < REFERENCE_DATE


def generate(n_products: int, seed: int, batch: int = 2000, log=print) -> dict:
    """Create n_products synthetic products (with producers and certificates) for `seed`.

    Returns the counts created; if rows of this seed already exist, creates nothing and
    returns {"skipped": True, ...}."""
    if n_products < 0 or seed < 0 or batch < 1:
        raise ValueError("n_products and seed must be ≥ 0, batch ≥ 1")
    started = time.perf_counter()
    stats = {
        "skipped": False,
        "producers": 0,
        "products": 0,
        "certificates": 0,
        "stars": {3: 0, 4: 0, 5: 0},
        "revoked": 0,
        "lapsed": 0,
        "elapsed": 0.0,
    }
    if seed_exists(seed):
        log(
            f"synthetic: rows of seed {seed} already exist (slugs containing '{marker(seed)}'); "
            "nothing created"
        )
        stats["skipped"] = True
        stats["elapsed"] = time.perf_counter() - started
        return stats
    communes = list(Commune.objects.order_by("code"))
    leaves = {c.code: c for c in Classification.objects.filter(scheme=SCHEME, is_leaf=True)}
    missing = {leaf for _, leaf, _ in STEMS} - set(leaves)
    if not communes or missing:
        raise RuntimeError("reference data missing: run `python manage.py load_reference` first")
    taken_codes = set(
        Producer.objects.exclude(registration_code="").values_list("registration_code", flat=True)
    )
    taken_public = set(Certificate.objects.values_list("public_code", flat=True))
    generator = _Generator(seed, communes, leaves, taken_codes, taken_public)

    # Rows are drawn one producer at a time, whatever the batch size, so batching never changes them.
    producers, products, certificates = [], [], []
    while generator.n_products < n_products:
        producer, own, certified = generator.producer_with_products(n_products - generator.n_products)
        producers.append(producer)
        products.extend(own)
        certificates.extend(certified)
        if len(products) >= batch:
            _flush(producers, products, certificates, stats)
            producers, products, certificates = [], [], []
            if n_products > batch:
                log(f"synthetic: {stats['products']}/{n_products} products")
    if producers:
        _flush(producers, products, certificates, stats)

    stats["elapsed"] = round(time.perf_counter() - started, 2)
    stars = stats["stars"]
    total = stats["certificates"] or 1
    log(
        f"synthetic (seed {seed}): {stats['producers']} producers, {stats['products']} products, "
        f"{stats['certificates']} certificates "
        f"(3★ {stars[3]} = {stars[3] / total:.0%}, 4★ {stars[4]} = {stars[4] / total:.0%}, "
        f"5★ {stars[5]} = {stars[5] / total:.0%}; revoked {stats['revoked']}, "
        f"lapsed on {REFERENCE_DATE:%d/%m/%Y} {stats['lapsed']}) in {stats['elapsed']} s"
    )
    return stats
