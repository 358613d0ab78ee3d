"""A sample post-recognition inspection plan (dữ liệu mẫu): this year's plan over three certified
sample products, one visit done (compliant) and two planned. Idempotent: a plan found by its
title is left alone."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from inspections.models import InspectionPlan
from inspections.services import inspection_plan_save, inspection_visit_save
from products.models import Product

ORDER = 90
INSPECTORS = "Văn phòng Điều phối nông thôn mới tỉnh; Chi cục Quản lý chất lượng (dữ liệu mẫu)"


@transaction.atomic
def load(log=print) -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        log("inspections demo: no admin account (run after backoffice demo)")
        return
    today = timezone.localdate()
    title = f"Kiểm tra, giám sát sản phẩm OCOP sau công nhận năm {today.year} (dữ liệu mẫu)"
    if InspectionPlan.objects.filter(title=title).exists():
        return
    products = list(
        Product.objects.filter(
            is_sample=True, certificates__is_current=True, certificates__revoked_on__isnull=True
        ).order_by("name", "pk")[:3]
    )
    if not products:
        log("inspections demo: no certified sample product")
        return
    plan = inspection_plan_save(
        None,
        year=today.year,
        title=title,
        scope="Chất lượng sản phẩm, ghi nhãn, sử dụng biểu trưng OCOP đúng hạng sao (dữ liệu mẫu).",
        products=products,
        actor=admin,
    )
    for n, product in enumerate(products):
        done = n == 0
        inspection_visit_save(
            None,
            plan=plan,
            product=product,
            planned_on=today - dt.timedelta(days=7) if done else today + dt.timedelta(days=14 * n),
            inspectors=INSPECTORS,
            visited_on=today - dt.timedelta(days=7) if done else None,
            findings="Nhãn và biểu trưng OCOP đúng hạng sao; hồ sơ chất lượng đầy đủ (dữ liệu mẫu)."
            if done
            else "",
            result="compliant" if done else "",
            actor=admin,
        )
    log(f"inspections demo: 1 plan, {len(products)} visits")
