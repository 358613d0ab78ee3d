"""Consistent backups of the database and the uploaded files, restorable into an empty database.

The database is dumped with Django's serializers inside one read transaction (REPEATABLE READ on
PostgreSQL, a single read transaction on SQLite), so the snapshot is consistent while the site runs,
and the same archive restores into SQLite or PostgreSQL."""

import datetime as dt
import io
import json
import os
import tarfile
import uuid
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import connection, transaction

FORMAT_VERSION = 1
# Rebuilt by `migrate` or disposable: not part of a backup.
# Background jobs (jobs.job) are transient: their result files are not in the archive either.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry", "jobs.job"}
BACKUP_PATTERN = "ocop-*.tar.gz"


def backed_up_models():
    for model in apps.get_models(include_auto_created=False):
        label = model._meta.label_lower
        if label in SKIPPED or model._meta.proxy or not model._meta.managed:
            continue
        yield model


def _json_value(value):
    # Django's JSON encoder cuts datetimes to milliseconds; a backup keeps them whole.
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"not serialisable: {type(value)}")


def _serialise(model) -> str:
    rows = serializers.serialize(
        "python",
        model._default_manager.order_by("pk").iterator(chunk_size=2000),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=False,
    )
    return json.dumps(rows, default=_json_value, ensure_ascii=False)


# The folders of uploaded files: (folder in the archive, setting, manifest key). The dossiers'
# documents are private (outside MEDIA_ROOT) and kept as well.
FILE_ROOTS = (("media", "MEDIA_ROOT", "files"), ("dossier-files", "DOSSIER_FILES_DIR", "dossier_files"))


def create_backup(target: Path) -> dict:
    """Write a .tar.gz holding manifest.json, one JSON file per model, media/ and dossier-files/."""
    target.parent.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": FORMAT_VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "database": connection.vendor,
        "models": {},
        "files": [],
    }
    with tarfile.open(target, "w:gz") as archive, transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in backed_up_models():
            data = _serialise(model).encode()
            label = model._meta.label_lower
            manifest["models"][label] = model._default_manager.count()
            _add(archive, f"db/{label}.json", data)
        for prefix, setting, key in FILE_ROOTS:
            root = Path(getattr(settings, setting))
            manifest.setdefault(key, [])
            if root.exists():
                for path in sorted(p for p in root.rglob("*") if p.is_file()):
                    name = path.relative_to(root).as_posix()
                    archive.add(path, arcname=f"{prefix}/{name}")
                    manifest[key].append(name)
        _add(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
    return manifest


def write_backup(target: Path) -> dict:
    """create_backup into a temporary name beside target, renamed when complete: a backup killed
    halfway never leaves a truncated archive that looks like a good one."""
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial")
    try:
        manifest = create_backup(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def scheduled_backup(*, directory: Path | None = None, keep: int | None = None) -> tuple[Path, dict]:
    """The daily backup: a new archive in settings.BACKUP_DIR, then only the newest `keep`
    (settings.BACKUP_KEEP) archives are kept."""
    directory = Path(directory or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = directory / f"ocop-{stamp}.tar.gz"
    manifest = write_backup(target)
    prune_backups(directory, keep)
    return target, manifest


def prune_backups(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives (by name: the names carry the time)."""
    archives = sorted(Path(directory).glob(BACKUP_PATTERN))
    removed = archives[: max(len(archives) - max(keep, 1), 0)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def _add(archive, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def restore_backup(source: Path, *, allow_non_empty: bool = False) -> dict:
    """Load an archive into a migrated, empty database and put the files back."""
    with tarfile.open(source, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        if manifest.get("format") != FORMAT_VERSION:
            raise ValueError(f"Unsupported backup format {manifest.get('format')}")
        if not allow_non_empty:
            busy = [m._meta.label for m in backed_up_models() if m._default_manager.exists()]
            if busy:
                raise ValueError(
                    "The database is not empty (" + ", ".join(busy[:5]) + "…); restore needs an "
                    "empty, migrated database."
                )
        # The archive holds the history tables themselves: restoring must not write new history rows.
        # Deserialised saves are raw, which django-simple-history's post_save handler already skips,
        # but the many-to-many assignments that follow fire m2m_changed, whose handler would add a
        # "~" record. Each restored instance therefore carries simple_history's per-instance switch
        # `skip_history_when_saving` (the one its save_without_historical_record() sets), which both
        # handlers honour. Unlike toggling settings.SIMPLE_HISTORY_ENABLED, it changes no
        # process-wide state, so other threads keep recording history while a restore runs.
        with transaction.atomic():
            for label in manifest["models"]:
                member = archive.extractfile(f"db/{label}.json")
                rows = json.loads(member.read())
                objects = list(serializers.deserialize("python", rows, handle_forward_references=True))
                for obj in objects:
                    obj.object.skip_history_when_saving = True
                    obj.save()
                for obj in objects:
                    if obj.deferred_fields:
                        obj.save_deferred_fields()
            _reset_sequences()
        for prefix, setting, key in FILE_ROOTS:
            root = Path(getattr(settings, setting))
            for name in manifest.get(key, []):  # archives older than a root have no entry for it
                member = archive.extractfile(f"{prefix}/{name}")
                destination = (root / name).resolve()
                if root.resolve() not in destination.parents:
                    raise ValueError(f"Refusing to write outside {setting}: {name}")
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(member.read())
    return manifest


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(backed_up_models()))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
