"""Demo data: a plausible processing level for the sample products (issue 17 point 6), from their
sub-group (products/data/processing-levels-demo.csv). An assumption, said so in each product's
staff-only note; sub-groups where it depends on the product stay unclassified. After the sample
products (backoffice.demo, ORDER 50). Idempotent: only unclassified sample products are touched."""

import csv

from products.models import Product
from products.reference import DATA

ORDER = 55
ASSUMED_NOTE = "Mức độ chế biến: giả định theo phân nhóm (dữ liệu mẫu), cần xác minh."


def assumed_levels() -> dict[str, str]:
    with (DATA / "processing-levels-demo.csv").open(encoding="utf-8") as f:
        return {row["subgroup_code"]: row["processing_level"] for row in csv.DictReader(f)}


def load(log=print) -> None:
    levels = assumed_levels()
    changed = []
    for product in Product.objects.filter(is_sample=True, processing_level="").select_related("category"):
        level = levels.get(product.category.code) if product.category_id else None
        if level is None:
            continue
        product.processing_level = level
        product.internal_note = "\n".join(filter(None, [product.internal_note, ASSUMED_NOTE]))
        changed.append(product)
    Product.objects.bulk_update(changed, ["processing_level", "internal_note"], batch_size=500)
    log(f"demo: processing level assumed from the sub-group for {len(changed)} sample products")
