"""The daily backup as a periodic job: written whole or not at all, the newest N kept; and the
schedule of the periodic tasks (backup 02:00, reminders 07:00, Vietnam time)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from core import backup


def fake_create(target):
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"archive")
    return {"models": {"x.y": 1}, "files": []}


def test_scheduled_backups_keep_the_newest(tmp_path, monkeypatch, settings):
    settings.BACKUP_DIR = tmp_path / "backups"
    monkeypatch.setattr(backup, "create_backup", fake_create)
    for day in range(1, 6):
        (tmp_path / "backups").mkdir(exist_ok=True)
        (tmp_path / "backups" / f"ocop-2026010{day}-020000.tar.gz").write_bytes(b"old")
    (tmp_path / "backups" / "notes.txt").write_text("not a backup")
    target, _manifest = backup.scheduled_backup(keep=3)
    kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert kept == ["notes.txt", "ocop-20260104-020000.tar.gz", "ocop-20260105-020000.tar.gz", target.name]
    assert target.read_bytes() == b"archive"


def test_a_failed_backup_leaves_no_archive(tmp_path, monkeypatch):
    def dies_halfway(target):
        target.write_bytes(b"half an archive")
        raise OSError("disk full")

    monkeypatch.setattr(backup, "create_backup", dies_halfway)
    with pytest.raises(OSError):
        backup.write_backup(tmp_path / "ocop.tar.gz")
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_into_the_backup_folder_with_retention(tmp_path, monkeypatch, settings):
    settings.BACKUP_DIR = tmp_path
    monkeypatch.setattr(backup, "create_backup", fake_create)
    (tmp_path / "ocop-20250101-020000.tar.gz").write_bytes(b"old")
    out = io.StringIO()
    call_command("backup", "--keep", "1", stdout=out)
    names = [p.name for p in tmp_path.iterdir()]
    assert len(names) == 1 and names[0] != "ocop-20250101-020000.tar.gz" and names[0] in out.getvalue()
    call_command("backup", "--output", str(tmp_path / "x" / "manual.tar.gz"), stdout=io.StringIO())
    assert (tmp_path / "x" / "manual.tar.gz").read_bytes() == b"archive"


def test_periodic_tasks_run_at_their_local_hours():
    from huey.contrib.djhuey import HUEY

    from certificates.tasks import daily_expiry_reminders
    from core.tasks import daily_backup

    assert HUEY.utc is False  # crontabs in TIME_ZONE (Asia/Ho_Chi_Minh), not UTC

    def runs_at(task, hour, minute=0):
        return task.task_class().validate_datetime(dt.datetime(2026, 6, 1, hour, minute))

    assert runs_at(daily_backup, 2) and not runs_at(daily_backup, 2, 1) and not runs_at(daily_backup, 9)
    assert runs_at(daily_expiry_reminders, 7) and not runs_at(daily_expiry_reminders, 0)


@pytest.mark.django_db
def test_the_reminder_task_sends_the_reminders(monkeypatch):
    from certificates import tasks

    days = []
    monkeypatch.setattr(tasks, "send_expiry_reminders", lambda day=None: days.append(day) or {"reminders": 0})
    assert tasks.daily_expiry_reminders.call_local() == {"reminders": 0} and days == [None]
