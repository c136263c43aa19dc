"""`field__any_of=subquery`: `IN (subquery)` that PostgreSQL can still answer from an index when
it is OR-ed with other conditions.

`x IN (SELECT …) OR user_id = 4` leaves PostgreSQL a hashed subplan it cannot estimate, and it
scans the whole table (a cell secretary's members: 100 ms among 490 000). Written as
`x = ANY(ARRAY(SELECT …))` the subquery runs once first and each side of the OR uses its own index
(0.2 ms). Elsewhere (SQLite) it is the plain `IN`.
"""
from django.db.models import Field, ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class _AnyArray:
    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


@Field.register_lookup
class AnyOf(_AnyArray, In):
    pass


@ForeignObject.register_lookup
class RelatedAnyOf(_AnyArray, RelatedIn):
    pass
