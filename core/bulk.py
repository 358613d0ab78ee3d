"""Bulk writes of many new or changed records, with the history django-simple-history records,
in far fewer CPU cycles than Django's bulk_create / simple_history's bulk_create_with_history.

Django's bulk_create compiles every value of every row (and then of every history row) one by
one through the SQL compiler, which took most of a 17,000-row import and of the generation of
the bench's synthetic catalogue. BulkWriter sends the rows in batches of BATCH_SIZE:

- SQLite: INSERT … VALUES … RETURNING id (ids read back in order, as bulk_create reads them);
  UPDATE through executemany;
- PostgreSQL: ids taken from the table's sequence, then COPY (rows formatted by psycopg's C
  code); UPDATE … FROM UNNEST;

each value converted by its field as Django converts it. The history rows are then copied by
the database from the rows just written (INSERT INTO history … SELECT), with the acting user, the
change reason and one time for the whole write. Other databases (or SQLite without RETURNING)
go through Django's and simple_history's own bulk functions.

    writer = BulkWriter(actor)                      # history recorded
    writer.insert(Product, new_products, AuditReason.CREATED)  # sets each instance's pk
    writer.update(Product, changed, ["name", "search_text"], AuditReason.UPDATED)
    BulkWriter(None, history=False).insert(...)      # no history rows (synthetic data)
"""

import sqlite3
from types import NoneType

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, CharField, Field, ForeignKey, IntegerField, TextField
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.audit import AuditReason, reason_text

BATCH_SIZE = 2000
HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user")


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class BulkWriter:
    def __init__(self, actor, *, history: bool = True, using: str = DEFAULT_DB_ALIAS):
        self.connection = connections[using]
        self.vendor = self.connection.vendor
        self.user = actor if getattr(actor, "is_authenticated", False) else None
        self.now = timezone.now()
        self.fast = self.vendor in ("sqlite", "postgresql") and (
            self.connection.features.can_return_rows_from_bulk_insert
        )
        self.history_enabled = history and getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        self.qn = self.connection.ops.quote_name

    @staticmethod
    def columns(fields) -> list[tuple]:
        """(field, attname, calls pre_save, the value types the field sends to the driver as they
        are) for each field: Django's get_db_prep_save returns a str of a text field, an int of an
        integer field or key, a bool of a boolean field and None unchanged; anything else goes
        through it (dates, decimals, choices' enum members, lazy strings)."""
        plan = []
        for column in fields:
            plain: tuple = ()
            if isinstance(column, ForeignKey | IntegerField):
                plain = (int,)
            elif isinstance(column, CharField | TextField):
                plain = (str,)
            elif isinstance(column, BooleanField):
                plain = (bool,)
            pre_save = type(column).pre_save is not Field.pre_save  # auto_now
            plan.append((column, column.attname, pre_save, (*plain, NoneType)))
        return plan

    def values(self, plan: list[tuple], instance, add: bool) -> list:
        values = []
        for column, attname, pre_save, plain in plan:
            value = column.pre_save(instance, add) if pre_save else getattr(instance, attname)
            values.append(value if type(value) in plain else column.get_db_prep_save(value, self.connection))
        return values

    def array(self, field) -> str:
        # Without the length (varchar[], not varchar(50)[]), as Django's UNNEST insert.
        return "(%s)::" + field.db_type(self.connection).split("(")[0] + "[]"

    def _saved(self, instance, pk) -> None:
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = self.connection.alias

    def insert(self, model, instances: list, reason: AuditReason | None = None) -> None:
        """INSERT the unsaved instances (in their order); sets their pk."""
        if not instances:
            return
        if not self.fast:
            if self.history_enabled:
                saved = bulk_create_with_history(
                    instances,
                    model,
                    batch_size=BATCH_SIZE,
                    default_user=self.user,
                    default_change_reason=reason_text(reason),
                )
            else:
                saved = model.objects.using(self.connection.alias).bulk_create(
                    instances, batch_size=BATCH_SIZE
                )
            for instance, row in zip(instances, saved, strict=True):  # read back in the same order
                self._saved(instance, row.pk)
            return
        qn, table, pk = self.qn, self.qn(model._meta.db_table), self.qn(model._meta.pk.column)
        # The id comes from the database; so does a db_default (created_at) and a generated column
        # (Certificate.valid_until), as with bulk_create.
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and not f.has_db_default() and not f.generated
        ]
        plan = self.columns(fields)
        columns = ", ".join(qn(f.column) for f in fields)
        size = BATCH_SIZE
        if self.vendor == "sqlite":
            self.connection.ensure_connection()
            limit = self.connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            size = max(1, min(BATCH_SIZE, limit // len(fields)))
        with self.connection.cursor() as cursor:
            for batch in chunks(instances, size):
                rows = [self.values(plan, instance, True) for instance in batch]
                if self.vendor == "postgresql":
                    # Ids taken from the table's sequence, then COPY (the rows as text, formatted
                    # by psycopg's C code): the fastest way in, and the ids are known.
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                        [model._meta.db_table, model._meta.pk.column, len(rows)],
                    )
                    ids = sorted(row[0] for row in cursor.fetchall())
                    with cursor.cursor.copy(f"COPY {table} ({pk}, {columns}) FROM STDIN") as copy:
                        for new_id, row in zip(ids, rows, strict=True):
                            copy.write_row([new_id, *row])
                else:
                    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(rows))
                    params = [value for row in rows for value in row]
                    cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk}", params)
                    ids = [row[0] for row in cursor.fetchall()]
                for instance, new_id in zip(batch, ids, strict=True):
                    self._saved(instance, new_id)
                self.history(cursor, model, ids, "+", reason)

    def update(self, model, instances: list, names, reason: AuditReason | None = None) -> None:
        """UPDATE the named fields of saved instances."""
        if not instances:
            return
        if not self.fast:
            if self.history_enabled:
                bulk_update_with_history(
                    instances,
                    model,
                    list(names),
                    batch_size=BATCH_SIZE,
                    default_user=self.user,
                    default_change_reason=reason_text(reason),
                )
            else:
                model.objects.using(self.connection.alias).bulk_update(
                    instances, list(names), batch_size=BATCH_SIZE
                )
            return
        qn, table, pk = self.qn, self.qn(model._meta.db_table), self.qn(model._meta.pk.column)
        fields = [model._meta.get_field(name) for name in names]
        plan = self.columns(fields)
        with self.connection.cursor() as cursor:
            for batch in chunks(instances, BATCH_SIZE):
                rows = [[*self.values(plan, instance, False), instance.pk] for instance in batch]
                if self.vendor == "postgresql":
                    arrays = ", ".join(self.array(f) for f in [*fields, model._meta.pk])
                    names_sql = ", ".join(f"c{i}" for i in range(len(fields)))
                    sets = ", ".join(f"{qn(f.column)} = v.c{i}" for i, f in enumerate(fields))
                    cursor.execute(
                        f"UPDATE {table} SET {sets} FROM UNNEST({arrays}) AS v({names_sql}, id) "
                        f"WHERE {table}.{pk} = v.id",
                        [list(column) for column in zip(*rows, strict=True)],
                    )
                else:
                    sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
                    cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s", rows)
                self.history(cursor, model, [instance.pk for instance in batch], "~", reason)

    def history(self, cursor, model, ids: list, kind: str, reason: AuditReason | None) -> None:
        if not self.history_enabled or not ids:
            return
        qn, table, pk = self.qn, self.qn(model._meta.db_table), self.qn(model._meta.pk.column)
        history = model.history.model
        # A generated column (Certificate.valid_until) is computed by the history table itself.
        tracked = [f for f in history.tracked_fields if not f.generated]
        target = [qn(history._meta.get_field(f.name).column) for f in tracked]
        target += [qn(history._meta.get_field(name).column) for name in HISTORY_COLUMNS]
        source = ", ".join(qn(model._meta.get_field(f.name).column) for f in tracked)
        date = history._meta.get_field("history_date").get_db_prep_save(self.now, self.connection)
        params = [date, reason_text(reason), kind, self.user.pk if self.user else None]
        if self.vendor == "postgresql":
            where, params = f"{pk} = ANY(%s)", [*params, list(ids)]
        else:
            where, params = f"{pk} IN ({', '.join(['%s'] * len(ids))})", [*params, *ids]
        cursor.execute(
            f"INSERT INTO {qn(history._meta.db_table)} ({', '.join(target)}) "
            f"SELECT {source}, %s, %s, %s, %s FROM {table} WHERE {where} ORDER BY {pk}",
            params,
        )
