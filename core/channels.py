"""Sales channels: the platforms a producer or product links to, and the check that a
URL really belongs to the platform chosen."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    SHOPEE = "shopee", "Shopee"
    TIKTOK_SHOP = "tiktok_shop", "TikTok Shop"
    LAZADA = "lazada", "Lazada"
    ZALO_OA = "zalo_oa", "Zalo OA"
    FACEBOOK = "facebook", "Facebook"
    WEBSITE = "website", _("Website")
    STORE = "store", _("Cửa hàng")


# Host names (and their sub-domains) each platform serves links from, short links included.
PLATFORM_HOSTS: dict[str, tuple[str, ...]] = {
    Platform.SHOPEE: ("shopee.vn", "shp.ee"),
    Platform.TIKTOK_SHOP: ("tiktok.com",),
    Platform.LAZADA: ("lazada.vn",),
    Platform.ZALO_OA: ("zalo.me",),
    Platform.FACEBOOK: ("facebook.com", "fb.com", "fb.me", "fb.watch"),
}

_url = URLValidator(schemes=["http", "https"])


def host_matches(host: str, domains: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def validate_channel_url(platform: str, url: str, *, required: bool = True) -> None:
    """Raise ValidationError when url is not a web address of platform."""
    if not url:
        if required:
            raise ValidationError(_("Cần nhập đường dẫn (URL)."), code="required")
        return
    try:
        _url(url)
    except ValidationError as exc:
        raise ValidationError(
            _("Đường dẫn không hợp lệ: phải bắt đầu bằng http:// hoặc https://."), code="invalid"
        ) from exc
    domains = PLATFORM_HOSTS.get(platform)
    if domains and not host_matches(urlsplit(url).hostname or "", domains):
        raise ValidationError(
            _("Đường dẫn không thuộc %(platform)s (cần tên miền %(domains)s)."),
            code="wrong_platform",
            params={"platform": Platform(platform).label, "domains": ", ".join(domains)},
        )


class SalesLinkBase(models.Model):
    """Shared shape of producer and product sales links."""

    platform = models.CharField(_("kênh bán"), max_length=20, choices=Platform.choices)
    url = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    label = models.CharField(_("ghi chú"), max_length=200, blank=True)
    address = models.CharField(_("địa chỉ cửa hàng"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_platform_display()}: {self.url or self.address}"

    def clean(self):
        # Model-level check so that forms and the admin answer with the field named.
        errors = {}
        if self.platform == Platform.STORE:
            if not self.address and not self.url:
                errors["address"] = _("Cửa hàng cần có địa chỉ hoặc đường dẫn.")
            try:
                validate_channel_url(self.platform, self.url, required=False)
            except ValidationError as exc:
                errors["url"] = exc
        else:
            try:
                validate_channel_url(self.platform, self.url)
            except ValidationError as exc:
                errors["url"] = exc
        if errors:
            raise ValidationError(errors)
