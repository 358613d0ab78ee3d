from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Đánh giá, phân hạng")

    def ready(self):
        from django.core import checks

        from evaluation.dossier_models import check_private_folder

        checks.register(check_private_folder)
