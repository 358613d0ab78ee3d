"""Who must act next after each step of the evaluation, told in the app and by e-mail.

The services call these after they have written (inside their transaction): notices are rows of the
same transaction, and notices.services.notice_send sends the e-mails only after commit. One table,
NEXT_ACTORS, says who hears of each state a dossier enters; round steps (assigned, closed) and the
helper team's queries have their own functions below."""

from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.roles import HELPER_TEAM_GROUP
from evaluation.models import DossierState as S
from notices.models import Notice

# Who hears of a dossier entering each state: the people who act next, and the producer of
# the outcome. A state missing here (in round, scored) is told by the round's own notices.
PRODUCER, COMMUNE, OFFICE, HELPER = "producer", "commune", "office", "helper"
NEXT_ACTORS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (COMMUNE,),
    S.DRAFT: (PRODUCER,),
    # At the province: the office accepts it, the helper team pre-checks the self-assessment.
    S.COMMUNE_FORWARDED: (OFFICE, HELPER),
    S.PROVINCE_RECEIVED: (PRODUCER, COMMUNE),
    S.SENT_TO_MINISTRY: (PRODUCER, COMMUNE),
    S.RETURNED: (OFFICE,),
    S.RECOGNISED: (PRODUCER, COMMUNE),
    S.RECOGNISED_5_STAR: (PRODUCER, COMMUNE),
    S.NOT_RECOGNISED: (PRODUCER, COMMUNE),
    S.KEPT: (PRODUCER, COMMUNE),
}


def _titles() -> dict[str, str]:
    return {
        S.SUBMITTED: _("Hồ sơ OCOP chờ xã đánh giá: %(p)s"),
        S.DRAFT: _("Hồ sơ OCOP được trả lại để bổ sung: %(p)s"),
        S.COMMUNE_FORWARDED: _("Hồ sơ OCOP chờ tỉnh tiếp nhận: %(p)s"),
        S.PROVINCE_RECEIVED: _("Tỉnh đã tiếp nhận hồ sơ OCOP: %(p)s"),
        S.SENT_TO_MINISTRY: _("Hồ sơ OCOP được gửi Bộ đánh giá 5 sao: %(p)s"),
        S.RETURNED: _("Bộ trả hồ sơ OCOP, tỉnh cần quyết định: %(p)s"),
        S.RECOGNISED: _("Sản phẩm được công nhận OCOP: %(p)s"),
        S.RECOGNISED_5_STAR: _("Sản phẩm được công nhận OCOP 5 sao: %(p)s"),
        S.NOT_RECOGNISED: _("Sản phẩm không được công nhận OCOP: %(p)s"),
        S.KEPT: _("Không nâng hạng, giữ giấy chứng nhận hiện hành: %(p)s"),
    }


def _active(queryset):
    return queryset.filter(is_active=True).distinct().order_by("pk")


def office_users():
    return _active(User.objects.filter(Q(role=Role.OFFICE) | Q(is_superuser=True)))


def dossier_people(dossier, who: tuple[str, ...]):
    """The accounts of the dossier's producer, the officers of its communes, the office, the helper
    team."""
    product = dossier.product
    wanted = Q(pk__in=[])
    if PRODUCER in who and product.producer_id:
        wanted |= Q(role=Role.PRODUCER, producer_id=product.producer_id)
    if COMMUNE in who:
        wanted |= Q(role=Role.COMMUNE_OFFICER, communes__in=product.commune_ids)
    if OFFICE in who:
        wanted |= Q(role=Role.OFFICE) | Q(is_superuser=True)
    if HELPER in who:
        wanted |= Q(groups__name=HELPER_TEAM_GROUP)
    return _active(User.objects.filter(wanted))


def _send(users, *, title: str, body: str = "", url: str = "", actor=None) -> int:
    from notices.services import notice_send

    # The person who took the step needs no notice of it.
    people = [u for u in users if u.pk != getattr(actor, "pk", None)]
    title = Truncator(title).chars(Notice._meta.get_field("title").max_length)  # a long product name
    return len(notice_send(people, title=title, body=body, url=url)) if people else 0


def notify_dossier_step(dossier, state: str, *, actor=None, comment: str = "") -> int:
    """Tell the people NEXT_ACTORS names that the dossier entered `state`."""
    who = NEXT_ACTORS.get(state)
    if not who:
        return 0
    title = _titles()[state] % {"p": dossier.product.name}
    return _send(
        dossier_people(dossier, who),
        title=title,
        body=comment,
        url=reverse("evaluation:dossier_detail", args=[dossier.pk]),
        actor=actor,
    )


def notify_round_assigned(round_, dossiers, *, actor=None) -> int:
    """The council's members have sheets to fill."""
    if not dossiers:
        return 0
    members = _active(User.objects.filter(Q(pk=round_.chair_id) | Q(pk__in=round_.members.all())))
    names = ", ".join(d.product.name for d in dossiers[:5]) + ("…" if len(dossiers) > 5 else "")
    return _send(
        members,
        title=_("Có %(n)s hồ sơ cần chấm điểm ở %(r)s") % {"n": len(dossiers), "r": round_},
        body=names,
        url=reverse("evaluation:round_detail", args=[round_.pk]),
        actor=actor,
    )


def notify_round_closed(round_, *, actor=None) -> int:
    """The office issues the decision on a closed round's results."""
    return _send(
        office_users(),
        title=_("%(r)s đã kết thúc: chờ ban hành quyết định công nhận") % {"r": round_},
        url=reverse("evaluation:round_detail", args=[round_.pk]),
        actor=actor,
    )


def notify_queries(dossier, codes: list[str], *, actor=None) -> int:
    """The producer (and its commune officers) answer the helper team's queries."""
    if not codes:
        return 0
    return _send(
        dossier_people(dossier, (PRODUCER, COMMUNE)),
        title=_("Tổ giúp việc cần làm rõ tiêu chí %(c)s: %(p)s")
        % {"c": ", ".join(codes), "p": dossier.product.name},
        url=reverse("evaluation:dossier_detail", args=[dossier.pk]),
        actor=actor,
    )


def notify_query_answered(dossier, code: str, *, actor=None) -> int:
    """The helper team reviews the answer."""
    team = _active(User.objects.filter(groups__name=HELPER_TEAM_GROUP))
    return _send(
        team,
        title=_("Chủ thể đã trả lời tiêu chí %(c)s: %(p)s") % {"c": code, "p": dossier.product.name},
        url=reverse("evaluation:dossier_detail", args=[dossier.pk]),
        actor=actor,
    )
