from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Công việc chạy nền")

    def ready(self):
        # Job kinds and periodic tasks live in each app's tasks.py (huey's convention): the web
        # process needs the registry to start a job, the worker (run_huey) imports them itself.
        autodiscover_modules("tasks")
