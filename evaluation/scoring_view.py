"""What the score sheet page shows while a member scores: the sheet as data for the page's script
(scoresheet.js recomputes as options are picked) and the same figures computed on the server, so the
page is right before any script runs and without one."""

from django.utils.translation import gettext as _

from evaluation import stars as star_rule
from evaluation.criteria import Sheet
from evaluation.text import result_text


def scoresheet_spec(sheet: Sheet) -> dict:
    """criteria in sheet order, each option with its points, its list (alternatives) and marks."""
    criteria = []
    for criterion in sheet.criteria():
        options = []
        for index, option_list in enumerate(criterion.option_lists()):
            for option in option_list:
                options.append(
                    {
                        "code": option.code,
                        "points": option.points,
                        "list": index,
                        "min_star": option.min_star,
                        "stops": option.stops,
                    }
                )
        criteria.append({"code": criterion.code, "options": options})
    return {
        "criteria": criteria,
        "bands": [[s, int(floor)] for s, floor in star_rule.STAR_BANDS],
        "levels": list(star_rule.MARK_LEVELS),
        # The same sentences as evaluation.text.result_text, in the visitor's language.
        "text": {
            "head": _("%(score)s điểm, %(stars)s★"),
            "knocked": _("%(head)s: loại bỏ hồ sơ"),
            "level": _("%(head)s: chưa đạt mức tối thiểu của %(level)s★"),
            "criteria": _("%(head)s: tiêu chí %(codes)s chưa đạt mức tối thiểu của %(level)s★"),
            "and": _("%(first)s và %(last)s"),
            "met": _("đạt"),
            "missing": _("chưa đạt"),
            "criterion": _("tiêu chí"),
        },
    }


def scoresheet_live(sheet: Sheet, chosen: dict[str, str]) -> dict:
    """Total, each star level's minimum marks (met, or the criteria missing), the resulting star and
    its sentence, and the stop rule in force, for the choices so far (invalid codes are ignored)."""
    valid = {}
    for code, option in chosen.items():
        try:
            sheet.criterion(code).choice(option)
        except KeyError:
            continue
        valid[code] = option
    stop = star_rule.sheet_stop(sheet, valid)
    if stop is not None:
        codes = [c.code for c in sheet.criteria()]
        valid = {k: v for k, v in valid.items() if codes.index(k) <= codes.index(stop.code)}
    total = star_rule.sheet_total(sheet, valid)
    marks = star_rule.criterion_marks_met(sheet, valid)
    levels = [
        {"level": level, "missing": [code for code, ok in marks[level].items() if not ok]}
        for level in star_rule.MARK_LEVELS
    ]
    met = {item["level"]: not item["missing"] for item in levels}
    result = star_rule.star_result(total, met_min_marks=met, knocked_out=stop is not None)
    level = result.blocked_by[0] if result.blocked_by else None
    codes = next((item["missing"] for item in levels if item["level"] == level), [])
    return {
        "total": total,
        "levels": levels,
        "stars": result.stars,
        "text": result_text(total, result.stars, level, codes, knocked_out=stop is not None),
        "stop": stop.code if stop is not None else "",
        "answered": len(valid),
    }
