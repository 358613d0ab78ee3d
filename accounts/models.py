from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    OFFICE = "office", _("Văn phòng OCOP tỉnh")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã/phường")
    COUNCIL_MEMBER = "council_member", _("Thành viên hội đồng")
    PRODUCER = "producer", _("Chủ thể OCOP")


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, blank=True)
    communes = models.ManyToManyField(
        "geo.Commune", blank=True, related_name="officers", verbose_name=_("xã/phường phụ trách")
    )
    producer = models.ForeignKey(
        "producers.Producer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
        verbose_name=_("chủ thể"),
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="producer") | models.Q(producer__isnull=False),
                name="accounts_user_producer_role_needs_producer",
                violation_error_message=_("Tài khoản chủ thể phải gắn với một chủ thể."),
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username
