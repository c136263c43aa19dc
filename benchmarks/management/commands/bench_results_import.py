"""manage.py bench_results_import --rows 100000: the results import against openpyxl's own parse.

Builds a results file of N rows (members rated in a year, in the one-row-per-subject format of
`docs/import-format.md`, with a score, a decision and some members not rated) over cells it adds
once (codes "RBENCH-…"), then in the same run times, in interleaved rounds keeping each one's
fastest (so load from other processes falls on all alike):
- parse: `openpyxl.load_workbook(read_only=True)` reading every row of that file (the floor);
- preview: `run_import(commit=False)`, the page's dry run (django-import-export's preview);
- import: `run_import(commit=True)`, the confirmation writing every row, inside a transaction
  rolled back afterwards (the commit is not timed; the database is left as it was).
Last line: `rows=… seconds=… parse_seconds=… ratio=… preview_seconds=… preview_ratio=…`
(seconds = the import; ratio = seconds / parse_seconds).
"""
import os
import random
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from benchmarks.data import person_name
from benchmarks.measure import fastest_rounds, parse_all, timed
from orgs.models import OrgKind, PartyOrganization
from reports.results_import import results_workbook, run_import

ROOT_CODE = "RBENCH-XA"
CELLS = 200
LEVELS = ("HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV", "Hoàn thành tốt nhiệm vụ", "KHTNV")


def ensure_cells() -> list[str]:
    """The benchmark's commune and its cells (added once); their codes."""
    root = PartyOrganization.objects.filter(code=ROOT_CODE).first()
    if root is None:
        root = PartyOrganization(code=ROOT_CODE, name="Đảng bộ xã Đo Nhập", kind=OrgKind.ROOT,
                                 established_on=date(1990, 1, 1))
        root.save()
    codes = [f"RBENCH-CB{i:03d}" for i in range(CELLS)]
    have = set(PartyOrganization.objects.filter(code__in=codes).values_list("code", flat=True))
    for i, code in enumerate(codes):
        if code not in have:
            PartyOrganization(code=code, name=f"Chi bộ thôn Đo Nhập {i + 1}", kind=OrgKind.ROOT_CELL, parent=root,
                              established_on=date(1990, 1, 1)).save()
    return codes


def results_file(rows: int, cells: list[str], *, year: int = 2019, seed: int = 0) -> bytes:
    """A results workbook of `rows` members of `cells` rated in `year` (a title row, then the headers)."""
    rng = random.Random(seed)

    def generated():
        for i in range(rows):
            values = {"year": year, "subject": "Đảng viên", "org_code": cells[i % len(cells)],
                      "name": person_name(rng), "card": f"RB{i:08d}",
                      "decision_number": f"{100 + i % 50}-QĐ/ĐU", "decision_date": "15/12/2019"}
            if rng.random() < 0.03:
                values["not_rated"] = "Miễn công tác và sinh hoạt đảng"
            else:
                values["level"] = rng.choice(LEVELS)
                values["score"] = f"{rng.randint(50, 99)},{rng.randint(0, 99):02d}"
            yield values

    return results_workbook(generated(), title=f"KẾT QUẢ XẾP LOẠI ĐẢNG VIÊN NĂM {year}")


class Command(BaseCommand):
    help = "Đo thời gian nhập tệp kết quả xếp loại N dòng, so với thời gian openpyxl tự đọc cùng tệp."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=2, help="Số lượt đo (lấy lượt nhanh nhất).")

    def handle(self, *args, rows, rounds, **options):
        if rows < 1 or rounds < 1:
            raise CommandError("--rows và --rounds phải từ 1 trở lên.")
        cells = ensure_cells()
        content = results_file(rows, cells)
        self.stdout.write(f"Tệp: {rows} dòng kết quả, {len(cells)} chi bộ, {len(content) // 1024} KB")
        best = fastest_rounds(rounds, lambda: self._round(content, rows))
        self.stdout.write(
            f"openpyxl read-only đọc toàn bộ tệp: {best['parse']:.2f} s; xem trước: {best['preview']:.2f} s; "
            f"nhập ({rows} dòng thêm mới): {best['import']:.2f} s (nhanh nhất trong {rounds} lượt; "
            f"tải máy {os.getloadavg()[0]:.2f})"
        )
        self.stdout.write(
            f"rows={rows} seconds={best['import']:.3f} parse_seconds={best['parse']:.3f} "
            f"ratio={best['import'] / best['parse']:.2f} preview_seconds={best['preview']:.3f} "
            f"preview_ratio={best['preview'] / best['parse']:.2f}"
        )

    @staticmethod
    def _round(content: bytes, rows: int) -> dict[str, float]:
        """Parse, the preview, and the import that adds every row."""
        parse, _count = timed(lambda: parse_all(content))
        preview, outcome = timed(lambda: run_import(content=content, kind="subjects",
                                                     file_name="ket-qua.xlsx", commit=False))
        if not outcome.ok:
            raise CommandError("; ".join(outcome.problems[:5]))
        imported, outcome = timed(lambda: run_import(content=content, kind="subjects",
                                                      file_name="ket-qua.xlsx", commit=True))
        if not outcome.ok or outcome.created != rows:
            raise CommandError("; ".join(outcome.problems[:5]) or f"ghi {outcome.created} dòng")
        return {"parse": parse, "preview": preview, "import": imported}
