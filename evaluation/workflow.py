"""The dossier state machine: one table of (from, to, who may), used by the service and the pages."""

from django.utils.translation import gettext_lazy as _

from evaluation.models import DossierState as S

# Transitions people start by hand. Round assignment, closing and decisions move dossiers through
# in_round → scored → recognised/… inside their own services (evaluation.services), with the same log.
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.DRAFT, S.SUBMITTED): ("owner_or_commune", _("Nộp hồ sơ cho UBND xã")),
    (S.SUBMITTED, S.DRAFT): ("commune", _("Trả lại để bổ sung")),
    (S.SUBMITTED, S.COMMUNE_FORWARDED): ("commune", _("Xã đánh giá (Mẫu 03) và chuyển tỉnh")),
    (S.COMMUNE_FORWARDED, S.PROVINCE_RECEIVED): ("office", _("Tỉnh tiếp nhận hồ sơ")),
    (S.COMMUNE_FORWARDED, S.SUBMITTED): ("office", _("Trả lại xã")),
}
SYSTEM_TRANSITIONS: set[tuple[str, str]] = {
    (S.PROVINCE_RECEIVED, S.IN_ROUND),
    (S.IN_ROUND, S.SCORED),
    (S.SCORED, S.RECOGNISED),
    (S.SCORED, S.NOT_RECOGNISED),
    (S.SCORED, S.SENT_TO_MINISTRY),
    (S.SENT_TO_MINISTRY, S.RECOGNISED_5_STAR),
    (S.SENT_TO_MINISTRY, S.RETURNED),
    (S.RETURNED, S.RECOGNISED),
    (S.RETURNED, S.NOT_RECOGNISED),
    # An upgrade that reaches no higher star keeps the current certificate (never a lower one).
    (S.SCORED, S.KEPT),
    (S.RETURNED, S.KEPT),
    # Điều 7.4: a dossier the Ministry returns may be re-evaluated by the province.
    (S.RETURNED, S.PROVINCE_RECEIVED),
}
# Where a dossier ends: the decision is taken (a certificate issued, refused, or kept).
FINAL_STATES = {S.RECOGNISED, S.NOT_RECOGNISED, S.RECOGNISED_5_STAR, S.KEPT}
OPEN_STATES = {
    S.DRAFT,
    S.SUBMITTED,
    S.COMMUNE_FORWARDED,
    S.PROVINCE_RECEIVED,
    S.IN_ROUND,
    S.SCORED,
    S.SENT_TO_MINISTRY,
    S.RETURNED,
}


def next_steps(dossier, user) -> list[tuple[str, str]]:
    """(target state, label) the user may take from the dossier's state."""
    from evaluation.rules import WHO

    return [
        (to, label)
        for (src, to), (who, label) in TRANSITIONS.items()
        if src == dossier.state and WHO[who].test(user, dossier)
    ]
