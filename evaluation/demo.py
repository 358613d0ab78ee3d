"""Demo evaluation data: an illustrative score sheet per certified sample product (so the
upgrade advisor has something to read), a dossier waiting for a round, and an open round.

The sample products' real score sheets are not public: the illustrative sheets are generated to
land in the band of each product's recorded star and are labelled as such. Idempotent."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from evaluation.criteria import Sheet
from evaluation.models import CriteriaSet, Dossier, DossierState, DossierTransition, Round, ScoreSheet
from evaluation.services import latest_scored_refresh
from evaluation.stars import sheet_marks_met, sheet_total
from products.models import Product

ORDER = 60
ILLUSTRATIVE_ROUND = "Phiếu chấm minh họa (dữ liệu mẫu, không phải phiếu thật)"
TARGETS = {3: 58, 4: 76, 5: 92}


def illustrative_choices(sheet: Sheet, stars: int, seed: int) -> dict[str, str]:
    """Options that meet the minimum marks up to `stars` and total about the band's target."""
    target = TARGETS[stars] + seed % 7
    chosen = {}
    for criterion in sheet.criteria():
        options = sorted(criterion.choices, key=lambda o: o.points)
        required = [o for o in options if o.min_star and o.min_star <= stars]
        chosen[criterion.code] = (max(required, key=lambda o: o.points) if required else options[0]).code
    total = sheet_total(sheet, chosen)
    for criterion in sheet.criteria():
        if total >= target:
            break
        current = criterion.choice(chosen[criterion.code])
        better = [
            o
            for o in criterion.choices
            if o.points > current.points
            and total - current.points + o.points <= target + (5 if stars == 5 else 0)
        ]
        if better:
            pick = max(better, key=lambda o: o.points)
            chosen[criterion.code] = pick.code
            total += pick.points - current.points
    return chosen


@transaction.atomic
def load(log=print) -> None:
    chair = User.objects.filter(username="hoidong").first()
    office = User.objects.filter(username="vanphong").first()
    criteria_set = CriteriaSet.objects.filter(code="QD26-2026", is_active=True).first()
    if not (chair and office and criteria_set):
        return
    round_, _ = Round.objects.get_or_create(
        name=ILLUSTRATIVE_ROUND,
        defaults={
            "year": 2025,
            "number": 9,
            "criteria_set": criteria_set,
            "chair": chair,
            "status": Round.Status.DECIDED,
            "closed_at": timezone.now(),
        },
    )
    round_.members.add(chair)
    parsed = criteria_set.parsed()
    made, scored = 0, []
    for certificate in Certificate.objects.filter(is_current=True, product__is_sample=True).select_related(
        "product__category"
    ):
        product = certificate.product
        if product.category is None or Dossier.objects.filter(product=product, round=round_).exists():
            continue
        sheet = parsed.sheet_for(product.category.code)
        choices = illustrative_choices(sheet, certificate.stars, product.pk)
        total = sheet_total(sheet, choices)
        dossier = Dossier.objects.create(
            product=product,
            kind="new",
            state=DossierState.RECOGNISED,
            round=round_,
            score=total,
            stars=certificate.stars,
            certificate=certificate,
            registration_note="Hồ sơ minh họa gắn với giấy chứng nhận mẫu.",
        )
        ScoreSheet.objects.create(
            round=round_,
            dossier=dossier,
            member=chair,
            criteria_set=criteria_set,
            sheet_number=sheet.number,
            choices=choices,
            total=total,
            marks_met={str(k): v for k, v in sheet_marks_met(sheet, choices).items()},
            status=ScoreSheet.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        made += 1
        scored.append(product.pk)
    latest_scored_refresh(scored)  # created here, not moved through the services
    waiting = Product.objects.filter(name="Tinh dầu hồi (Nông Văn Tú)", is_sample=True).first()
    if waiting and not Dossier.objects.filter(product=waiting).exists():
        today = timezone.localdate()
        dossier = Dossier.objects.create(
            product=waiting,
            kind="new",
            state=DossierState.PROVINCE_RECEIVED,
            submitted_on=today,
            forwarded_on=today,
            received_on=today,
            report_origin="Hoa hồi thu hái tại địa phương.",
            report_labour="Lao động gia đình và người dân trong thôn.",
            report_idea="Nghề chưng cất tinh dầu hồi truyền thống của huyện Văn Quan cũ.",
            report_identity="Hồi Văn Quan là sản phẩm chủ lực của tỉnh.",
        )
        DossierTransition.objects.create(
            dossier=dossier,
            from_state=DossierState.DRAFT,
            to_state=DossierState.PROVINCE_RECEIVED,
            actor=office,
            comment="Dữ liệu mẫu: hồ sơ chờ đưa vào đợt đánh giá",
        )
    # An extra round (number 3): Điều 5's cut-offs apply to rounds 1 and 2 only, so the demo's
    # waiting dossier can be assigned whatever the date of the demo.
    year = timezone.localdate().year
    open_round, _ = Round.objects.get_or_create(
        name=f"Đợt bổ sung năm {year} (mẫu)",
        defaults={"year": year, "number": 3, "criteria_set": criteria_set, "chair": chair},
    )
    open_round.members.add(chair, office)
    log(f"evaluation demo: {made} illustrative score sheets; dossier waiting: {bool(waiting)}")
