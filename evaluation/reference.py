"""Loads the criteria sets shipped with the project (evaluation/data/criteria/*.yaml)."""

from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "criteria"
ORDER = 30


def load(log=print) -> None:
    from evaluation.services import criteria_set_load

    for path in sorted(DATA.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        criteria_set, created = criteria_set_load(raw, source_name=path.name, actor=None)
        state = "loaded" if created else "unchanged"
        log(f"evaluation: criteria set {criteria_set.code} revision {criteria_set.revision} {state}")
