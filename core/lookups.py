"""`__in` on integer columns that tolerates ids beyond the database's integer range.

Django guards the exact and comparison lookups against such values (IntegerFieldOverflow) but not
`in`: SQLite's driver then fails with OverflowError. Every multiple-choice form field filters
`pk__in` with what was posted, so a crafted id (99999999999999999999) gave a 500 on the round,
intellectual-property and raw-material-area forms. Values outside the range can match no row:
they are dropped (all of them: no row), and the form says the choice is not valid."""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class _InRange:
    def _integer_type(self) -> str:
        field = self.lhs.output_field
        return getattr(field, "target_field", field).get_internal_type()

    def process_rhs(self, compiler, connection):
        ranges = connection.ops.integer_field_ranges
        kind = self._integer_type()
        if self.rhs_is_direct_value() and kind in ranges and not getattr(self, "_in_range", False):
            low, high = connection.ops.integer_field_range(kind)
            values = [v for v in self.rhs if not isinstance(v, int) or low <= v <= high]
            if not values:
                raise EmptyResultSet
            self.rhs, self._in_range = values, True
        return super().process_rhs(compiler, connection)


class IntegerIn(_InRange, In):
    pass


class IntegerRelatedIn(_InRange, RelatedIn):
    pass


def register() -> None:
    IntegerField.register_lookup(IntegerIn)
    ForeignKey.register_lookup(IntegerRelatedIn)
