"""Loads the criteria sets shipped with the project (evaluation/data/criteria/*.yaml)."""

import hashlib
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "criteria"
ORDER = 30
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(log=print) -> None:
    from evaluation.models import CriteriaSet
    from evaluation.services import criteria_set_load

    for path in sorted(DATA.glob("*.yaml")):
        content = path.read_bytes()
        checksum = hashlib.sha256(content).hexdigest()
        # An unchanged file was validated when it was loaded: skip parsing 26 sheets again.
        current = CriteriaSet.objects.filter(source_checksum=checksum, is_active=True).first()
        if current is not None:
            log(f"evaluation: criteria set {current.code} revision {current.revision} unchanged")
            continue
        raw = yaml.load(content, Loader=_Loader)
        criteria_set, created = criteria_set_load(
            raw, source_name=path.name, source_checksum=checksum, actor=None
        )
        state = "loaded" if created else "unchanged"
        log(f"evaluation: criteria set {criteria_set.code} revision {criteria_set.revision} {state}")
