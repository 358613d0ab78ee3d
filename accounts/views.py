"""Password change and reset: Django's own views with Vietnamese templates (templates/registration/).

The reset page answers the same whether or not an address belongs to an account, and is
rate-limited per client address so that it cannot be used to flood mailboxes."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from core.network import client_ip

RESET_LIMIT = 5  # requests per address per window
RESET_WINDOW = 60 * 60  # seconds


class PasswordResetView(auth_views.PasswordResetView):
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_extra_email_context(self):
        # The link is built from the configured site address, never from the request's Host header.
        return {"site_url": settings.SITE_URL.rstrip("/"), "site_name": settings.SITE_NAME}

    def form_valid(self, form):
        key = f"accounts:password-reset:{client_ip(self.request)}"
        cache.add(key, 0, RESET_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RESET_WINDOW)
            count = 1
        if count > RESET_LIMIT:
            form.add_error(
                None, _("Bạn đã yêu cầu đặt lại mật khẩu quá nhiều lần. Vui lòng thử lại sau 1 giờ.")
            )
            return self.form_invalid(form)
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)
