"""manage.py bench_import --members 10000: the workbook import against openpyxl's own parse.

Builds a workbook of N members in M cells (the format the template and the export use), then in
the same run times:
- parse: `openpyxl.load_workbook(read_only=True)` reading every row of every sheet of that file
  (the irreducible work);
- the first import into a database without those rows (read, validate, and write the cells,
  the members and their audit entries in bulk);
- the second import of the same file, which changes nothing.
The three are measured in interleaved rounds and each keeps its fastest, so load from other
processes falls on all alike. Everything is written inside a transaction that is rolled back
(the commit is not timed), so the database is left as it was. The last line is
`members=… seconds=… parse_seconds=… ratio=… second_ratio=…` (seconds = first import;
ratio = seconds / parse_seconds; second_ratio = second import / parse_seconds).
"""
import random
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from benchmarks.data import person_name
from benchmarks.measure import fastest_rounds, parse_all, timed
from members.workbook.services import import_workbook
from members.workbook.writer import build_workbook


def bench_workbook(members: int, cells: int, seed: int = 0) -> bytes:
    """A workbook of `members` members in `cells` cells under one root, codes starting "BENCH-"."""
    rng = random.Random(seed)
    orgs = [{"code": "BENCH-XA", "name": "Đảng bộ xã Đo Thử", "kind": "root", "parent": "", "is_active": True, "sort_order": 0}]
    orgs += [
        {"code": f"BENCH-CB{i:04d}", "name": f"Chi bộ thôn Đo Thử {i}", "kind": "root_cell", "parent": "BENCH-XA",
         "established_on": date(1990, 1, 1) + timedelta(days=i), "is_active": True, "sort_order": i}
        for i in range(cells)
    ]
    rows = []
    for i in range(members):
        born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 45))
        admitted = min(born + timedelta(days=365 * 20 + rng.randint(0, 365 * 10)), date(2024, 12, 31))
        official = admitted + timedelta(days=365) if rng.random() < 0.9 else None
        rows.append({
            "card_number": f"B{i:08d}", "gender": "female" if rng.random() < 0.4 else "male",
            "full_name": person_name(rng),
            "date_of_birth": born, "admitted_on": admitted, "official_on": official,
            "status": "official" if official else "probationary", "cell": f"BENCH-CB{i % cells:04d}", "is_active": True,
        })
    return build_workbook({"orgs": orgs, "members": rows})


class Command(BaseCommand):
    help = "Đo thời gian nhập tệp Excel N đảng viên, so với thời gian openpyxl tự đọc cùng tệp."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=10000)
        parser.add_argument("--cells", type=int, default=100)
        parser.add_argument("--rounds", type=int, default=3, help="Số lượt đo (lấy lượt nhanh nhất).")

    def handle(self, *args, members, cells, rounds, **options):
        if members < 1 or cells < 1 or rounds < 1:
            raise CommandError("--members, --cells và --rounds phải từ 1 trở lên.")
        content = bench_workbook(members, cells)
        self.stdout.write(f"Tệp: {members} đảng viên, {cells} chi bộ, {len(content) // 1024} KB")
        changed = {}
        best = fastest_rounds(rounds, lambda: self._round(content, changed))
        self.stdout.write(
            f"openpyxl read-only đọc toàn bộ tệp: {best['parse']:.2f} s; lần nhập đầu ({changed['first']} thay đổi): "
            f"{best['first']:.2f} s; lần nhập lại (không thay đổi gì): {best['second']:.2f} s "
            f"(nhanh nhất trong {rounds} lượt)"
        )
        self.stdout.write(
            f"members={members} seconds={best['first']:.3f} parse_seconds={best['parse']:.3f} "
            f"ratio={best['first'] / best['parse']:.2f} second_ratio={best['second'] / best['parse']:.2f}"
        )

    @staticmethod
    def _round(content: bytes, changed: dict) -> dict[str, float]:
        """Parse, the first import, and the second import that must change nothing."""
        parse, _rows = timed(lambda: parse_all(content))
        first, result = timed(lambda: import_workbook(actor=None, content=content))
        if not result.applied:
            raise CommandError("; ".join(str(p) for p in result.problems[:5]))
        changed["first"] = result.changed
        second, again = timed(lambda: import_workbook(actor=None, content=content))
        if again.changed:
            raise CommandError(f"Lần nhập lại vẫn thay đổi {again.changed} dòng.")
        return {"parse": parse, "first": first, "second": second}
