"""Moving open rounds onto the criteria-set revision that carries the decree's council rule.

A round keeps the revision it was opened with (its sheets were scored on it). Rounds opened before the
criteria data said `council_marks_rule` read the members' minimum marks per star level
(criteria.CriteriaSet.council_marks_rule's fallback) although the decree's reading is per criterion.
`adopt_council_marks_rule` gives each such open round a revision with the same sheets that says
per_criterion_majority: the active revision when its sheets are the same, else a new revision (the old
document plus the rule) made for it. The round's score sheets follow it. Closed rounds keep their
results (decided under the rule they were closed with). Called by migration 0006 with the historical
models, and by the tests with the real ones."""

RULE = "per_criterion_majority"
NOTE = (
    "Mức tối thiểu trên phiếu của cả hội đồng được xét theo từng tiêu chí: mức tối thiểu của một tiêu chí"
    " đạt khi quá nửa số phiếu của thành viên đạt mức đó (bổ sung khi chuyển đợt đang chấm sang cách đọc"
    " của Quyết định 26/2026/QĐ-TTg)."
)


def _with_rule(document: dict) -> dict:
    return {
        **document,
        "council_marks_rule": RULE,
        "council_marks_note": document.get("council_marks_note") or NOTE,
    }


def adopt_council_marks_rule(
    CriteriaSet, Round, ScoreSheet, log=lambda line: None
) -> list[tuple[int, int, int]]:
    """(round id, old revision id, new revision id) for each open round moved."""
    moved = []
    stale = Round.objects.filter(status="open").exclude(criteria_set__document__has_key="council_marks_rule")
    for round_ in stale.select_related("criteria_set").order_by("pk"):
        old = round_.criteria_set
        if "council_marks_rule" in old.document:  # JSON key lookups differ per database: check here too
            continue
        target = None
        for candidate in CriteriaSet.objects.filter(code=old.code).order_by("-is_active", "-revision"):
            doc = candidate.document
            if doc.get("council_marks_rule") == RULE and doc.get("sheets") == old.document.get("sheets"):
                target = candidate
                break
        if target is None:
            latest = CriteriaSet.objects.filter(code=old.code).order_by("-revision").first()
            if old.is_active:
                CriteriaSet.objects.filter(pk=old.pk).update(is_active=False)
            target = CriteriaSet.objects.create(
                code=old.code,
                revision=latest.revision + 1,
                is_active=old.is_active,
                title=old.title,
                status=old.status,
                document=_with_rule(old.document),
                source_name=f"{old.source_name} + council_marks_rule".strip(" +"),
                source_checksum=old.source_checksum,
            )
        Round.objects.filter(pk=round_.pk).update(criteria_set=target)
        ScoreSheet.objects.filter(round=round_, criteria_set=old).update(criteria_set=target)
        moved.append((round_.pk, old.pk, target.pk))
        log(f"evaluation: round {round_.pk} moved from {old.code} r{old.revision} to r{target.revision}")
    return moved
