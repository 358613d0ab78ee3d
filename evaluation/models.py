import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CriteriaSet(models.Model):
    """One revision of a criteria set (bộ tiêu chí), loaded from a data file. A correction or a
    new decree is a new revision; score sheets keep pointing at the revision they were scored on."""

    class Status(models.TextChoices):
        OFFICIAL = "official", _("Chính thức")
        PROVISIONAL = "provisional", _("Tạm thời")
        HISTORICAL = "historical", _("Hết hiệu lực")

    code = models.CharField(_("mã bộ tiêu chí"), max_length=20)
    revision = models.PositiveIntegerField(_("lần sửa"), default=1)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    title = models.CharField(_("tên"), max_length=255)
    status = models.CharField(_("tình trạng"), max_length=12, choices=Status.choices)
    document = models.JSONField(_("nội dung"))
    source_name = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    source_checksum = models.CharField(_("mã băm tệp nguồn"), max_length=64, blank=True, editable=False)
    loaded_at = models.DateTimeField(_("ngày nạp"), db_default=Now())
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người nạp"),
    )

    class Meta:
        ordering = ["code", "-revision"]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["code", "revision"], name="evaluation_criteriaset_code_revision"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(is_active=True),
                name="evaluation_criteriaset_one_active_revision",
            ),
        ]

    def __str__(self):
        return f"{self.code} (lần {self.revision})"

    def parsed(self):
        """The criteria set as dataclasses (cached on the instance)."""
        if not hasattr(self, "_parsed"):
            from evaluation.criteria import criteria_set_from_dict

            self._parsed = criteria_set_from_dict(self.document)
        return self._parsed


class DossierKind(models.TextChoices):
    NEW = "new", _("Đánh giá lần đầu")
    UPGRADE = "upgrade", _("Nâng hạng")
    REEVALUATION = "reevaluation", _("Công nhận lại")


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp cho xã")
    COMMUNE_FORWARDED = "commune_forwarded", _("Xã đã chuyển tỉnh")
    PROVINCE_RECEIVED = "province_received", _("Tỉnh đã tiếp nhận")
    IN_ROUND = "in_round", _("Đang đánh giá")
    SCORED = "scored", _("Đã chấm điểm")
    RECOGNISED = "recognised", _("Được công nhận")
    NOT_RECOGNISED = "not_recognised", _("Không được công nhận")
    SENT_TO_MINISTRY = "sent_to_ministry", _("Đề nghị Bộ đánh giá 5 sao")
    RECOGNISED_5_STAR = "recognised_5_star", _("Được Bộ công nhận 5 sao")
    RETURNED = "returned", _("Bộ trả lại (dưới 90 điểm)")
    # An upgrade that did not reach a higher star: the current certificate stays as it is.
    KEPT = "kept", _("Không nâng hạng (giữ giấy hiện hành)")


class Dossier(models.Model):
    """An evaluation dossier (hồ sơ) of one product."""

    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("sản phẩm")
    )
    kind = models.CharField(
        _("loại hồ sơ"), max_length=15, choices=DossierKind.choices, default=DossierKind.NEW
    )
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=DossierState.choices, default=DossierState.DRAFT
    )
    renews = models.ForeignKey(
        "certificates.Certificate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_dossiers",
        verbose_name=_("giấy chứng nhận được công nhận lại"),
    )
    registration_note = models.TextField(_("nội dung đăng ký, thay đổi so với lần trước"), blank=True)
    submitted_on = models.DateField(_("ngày nộp cho xã"), null=True, blank=True)
    forwarded_on = models.DateField(_("ngày xã chuyển tỉnh"), null=True, blank=True)
    received_on = models.DateField(_("ngày tỉnh tiếp nhận"), null=True, blank=True)
    # Mẫu số 03: the commune's evaluation of origin, local labour, idea and local identity.
    report_origin = models.TextField(_("nguồn gốc sản phẩm, nguyên liệu địa phương"), blank=True)
    report_labour = models.TextField(_("sử dụng lao động địa phương"), blank=True)
    report_idea = models.TextField(_("nguồn gốc ý tưởng sản phẩm"), blank=True)
    report_identity = models.TextField(_("bản sắc, tri thức địa phương"), blank=True)
    round = models.ForeignKey(
        "Round",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("đợt đánh giá"),
    )
    score = models.DecimalField(_("điểm hội đồng"), max_digits=5, decimal_places=2, null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("hạng sao"), null=True, blank=True)
    ministry_score = models.DecimalField(
        _("điểm của Bộ"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    certificate = models.ForeignKey(
        "certificates.Certificate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("giấy chứng nhận được cấp"),
    )
    # Mã sản phẩm of the Phụ lục II sheet: (T)-(X)-(STT)-(năm), given when the dossier enters a round.
    product_code = models.CharField(_("mã sản phẩm OCOP"), max_length=40, blank=True)
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    # Issue 15: the advisor list reads its rows from an index (evaluation_dossier_advice_idx).
    # Derived, never edited. is_latest_scored: the product's latest dossier (created_at, id) with
    # a score that is not a refusal; evaluation.services.latest_scored_refresh keeps it after every
    # move of a dossier (and bulk writers call it), the daily latest_scored_reconcile checks it.
    # star_gap: the points the score lacks to reach the next star's floor (0 when reached), NULL
    # without a score or at 5★; written by save() from score and stars (stars.star_gap).
    is_latest_scored = models.BooleanField(default=False, editable=False)
    star_gap = models.DecimalField(max_digits=5, decimal_places=2, null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["is_latest_scored", "star_gap"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hồ sơ đánh giá")
        verbose_name_plural = _("hồ sơ đánh giá")
        indexes = [
            models.Index(fields=["state"]),
            models.Index(fields=["product", "state"]),
            # The dossier list's order (newest first): its pages are read from this index.
            models.Index(fields=["created_at", "id"], name="evaluation_dossier_order_idx"),
            # A product's latest dossier (the advisor, the dashboard's upgrade pipeline).
            models.Index(fields=["product", "created_at", "id"], name="evaluation_dossier_latest_idx"),
            # The advisor list's order (closest to the next star first), its rows only.
            models.Index(
                fields=["star_gap", "-score", "id"],
                condition=models.Q(is_latest_scored=True, star_gap__isnull=False),
                name="evaluation_dossier_advice_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="evaluation_dossier_score_0_100",
            ),
            models.UniqueConstraint(
                fields=["product_code"],
                condition=~models.Q(product_code=""),
                name="evaluation_dossier_unique_product_code",
            ),
            models.CheckConstraint(
                condition=models.Q(stars__isnull=True) | models.Q(stars__gte=0, stars__lte=5),
                name="evaluation_dossier_stars_0_5",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.product}"

    def save(self, *args, **kwargs):
        from evaluation.stars import star_gap

        self.star_gap = star_gap(self.score, self.stars)
        # An instance read before another dossier of its product was scored holds a stale
        # is_latest_scored: saving an existing row writes every field but that one (the services
        # keep it, latest_scored_refresh).
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.attname not in deferred and f.name != "is_latest_scored"
            ]
        elif kwargs.get("update_fields") is not None and {"score", "stars"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "star_gap"}
        super().save(*args, **kwargs)


class DossierTransition(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=DossierState.choices)
    to_state = models.CharField(max_length=20, choices=DossierState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(db_default=Now())
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.dossier_id}: {self.from_state} → {self.to_state}"


class Round(models.Model):
    """An evaluation round (đợt) with its council."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        MINISTRY = "ministry", _("Cấp Bộ")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang chấm")
        CLOSED = "closed", _("Đã kết thúc")
        DECIDED = "decided", _("Đã có quyết định")

    name = models.CharField(_("tên đợt"), max_length=200)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(
        _("đợt số"), help_text=_("1, 2 theo Điều 5; từ 3 là đợt bổ sung.")
    )
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices, default=Level.PROVINCE)
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("bộ tiêu chí")
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="chaired_rounds",
        verbose_name=_("chủ tịch hội đồng"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="council_rounds", verbose_name=_("thành viên hội đồng")
    )
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("ngày kết thúc"), null=True, blank=True)
    deadline = models.DateField(
        _("hạn hoàn thành"),
        null=True,
        blank=True,
        help_text=_(
            "Đợt 1 và 2 theo Điều 5 (trước 30/6, trước 30/12); đợt bổ sung theo kế hoạch của hội đồng."
        ),
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        ordering = ["-year", "-number", "-id"]
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")

    def __str__(self):
        return self.name

    @property
    def ends_before(self) -> dt.date | None:
        """The round must finish before this day (Điều 5: round 1 before 30/6, round 2 before 30/12;
        "before" excludes the day itself); an extra round's own deadline when set."""
        from evaluation.rounds import round_ends_before

        return round_ends_before(self)

    def is_late_on(self, day: dt.date | None = None) -> bool:
        from evaluation.rounds import round_is_late

        return round_is_late(self, day)

    @property
    def is_late(self) -> bool:
        return self.is_late_on()


class ScoreSheet(models.Model):
    """One council member's score sheet for one dossier. Totals are derived, never typed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Đã nộp")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="sheets")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="sheets")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="score_sheets"
    )
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="+")
    sheet_number = models.PositiveSmallIntegerField(_("số bộ tiêu chí"))
    choices = models.JSONField(_("lựa chọn"), default=dict)

    class Knockout(models.TextChoices):
        # A fact (a forged dossier, …) disqualifies when any member records it with its evidence.
        FACT = "fact", _("Sự việc có chứng cứ (giả mạo hồ sơ, …): loại bỏ hồ sơ")
        # A stop rule of the sheet ("không đánh giá các bước tiếp theo") followed the picked option.
        STOP = "stop", _("Dừng đánh giá theo ghi chú của phiếu")
        # The member's judgement of another knock-out note: counted by majority of the council.
        JUDGEMENT = "judgement", _("Nhận định của thành viên: loại bỏ hồ sơ")

    knocked_out = models.BooleanField(_("loại bỏ hồ sơ"), default=False)
    knockout_reason = models.TextField(_("lý do loại bỏ"), blank=True)
    knockout_kind = models.CharField(_("loại căn cứ"), max_length=10, choices=Knockout.choices, blank=True)
    knockout_evidence = models.TextField(_("chứng cứ"), blank=True)
    total = models.DecimalField(_("tổng điểm"), max_digits=5, decimal_places=2, default=0)
    marks_met = models.JSONField(_("đạt mức tối thiểu"), default=dict)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["dossier_id", "member_id"]
        verbose_name = _("phiếu chấm điểm")
        verbose_name_plural = _("phiếu chấm điểm")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "dossier", "member"], name="evaluation_one_sheet_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0, total__lte=100), name="evaluation_scoresheet_total_0_100"
            ),
        ]

    def __str__(self):
        return f"{self.dossier} – {self.member}"


class RoundResult(models.Model):
    """The council's result for one dossier, computed when the chair closes the round."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="results")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="results")
    sheets_count = models.PositiveSmallIntegerField()
    score = models.DecimalField(max_digits=5, decimal_places=2)
    lowest = models.DecimalField(max_digits=5, decimal_places=2)
    highest = models.DecimalField(max_digits=5, decimal_places=2)
    band_stars = models.PositiveSmallIntegerField()
    stars = models.PositiveSmallIntegerField()
    blocked_by = models.JSONField(default=list)
    # {"4": ["5.1", "6.1"]}: per star level, the criteria whose minimum most members found missed.
    missed_marks = models.JSONField(default=dict)
    knocked_out = models.BooleanField(default=False)
    needs_discussion = models.BooleanField(default=False)

    class Meta:
        ordering = ["-score", "dossier_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "dossier"], name="evaluation_one_result_per_dossier"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="evaluation_roundresult_score_0_100"
            ),
        ]

    def __str__(self):
        return f"{self.round_id}/{self.dossier_id}: {self.score}"

    @property
    def spread(self):
        return self.highest - self.lowest

    @property
    def cap_text(self) -> str:
        """The result in words, naming the criteria that capped the star: "89 điểm, 3★: tiêu chí
        5.1 và 6.1 chưa đạt mức tối thiểu của 4★"."""
        from evaluation.text import result_text

        level = self.blocked_by[0] if self.blocked_by else None
        codes = (self.missed_marks or {}).get(str(level)) or [] if level else []
        return result_text(self.score, self.stars, level, codes, knocked_out=self.knocked_out)


# Issue 14: the dossier's documents, forms Mẫu 01/02, self-assessment and pre-check.
from evaluation.dossier_models import (  # noqa: E402, F401
    CriterionClaim,
    CriterionComment,
    DossierDocument,
    DossierFormData,
)
