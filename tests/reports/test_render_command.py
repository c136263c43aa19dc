"""`manage.py render_report`: the year-end report is the saved draft the pages show; --quarters,
--number, --date, --signer and --signer-title replace its values in the file only (issue 14)."""
import datetime as dt
import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from appraisal.models import SubjectType
from core.models import Role
from reports import services
from reports.data import report_scope
from reports.documents import new_report
from reports.models import Report
from tests.factories import user_with_role
from tests.reports.builders import Ratings, complete_narrative, one_cell_commune, period, positions

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    """Bình Lư with 2025 members and leaders rated in Q1 and Q2/2026, and a saved draft of 2025."""
    from members.models import PositionGroup

    root, _, people = one_cell_commune("R", 6)
    r = Ratings()
    for m in people:
        r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTTNV", member=m)
    group = PositionGroup.objects.create(code="TP", name="Trưởng các phòng, ban và tương đương")
    for p in positions(people[:2], group):
        r.add(period(2026, 1), SubjectType.LEADER_QUARTERLY, "HTTNV", leader_position=p)
        r.add(period(2026, 2), SubjectType.LEADER_QUARTERLY, "HTTNV", leader_position=p)
    r.save()
    narrative = complete_narrative()
    narrative["parts"]["I.1"] = {"text": "Ban Thường vụ đã quán triệt kịp thời."}
    staff = user_with_role(Role.STAFF, username="bxd")
    report = services.report_save(actor=staff, report=new_report(report_scope(root), 2025),
                                  header={"quarters": "1/2026, 2/2026", "signer_name": "Lò Văn Bí"},
                                  narrative=narrative, expected_version=None)
    return root, report


def _text(path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode().split())


def test_the_help_says_what_comes_from_the_saved_draft(capsys):
    with pytest.raises(SystemExit):
        call_command("render_report", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "lấy từ dự thảo đã lưu trên trang web" in text
    for option in ("--quarters", "--number", "--date", "--signer", "--signer-title"):
        assert option in text


def test_the_file_is_the_saved_draft(draft, tmp_path):
    root, _ = draft
    out = tmp_path / "bao-cao.pdf"
    call_command("render_report", "year_end", "--year", "2025", "--org", root.code, "--out", str(out), stdout=io.StringIO())
    text = _text(out)
    assert "Ban Thường vụ đã quán triệt kịp thời." in text and "Lò Văn Bí" in text
    assert "quý I, II/2026" in text and "Số -BC/ĐU" in text


def test_options_replace_the_drafts_values_in_the_file_only(draft, tmp_path):
    root, report = draft
    out = tmp_path / "bao-cao.pdf"
    call_command("render_report", "year_end", "--year", "2025", "--org", root.code, "--out", str(out),
                 "--quarters", "1/2026", "--number", "12", "--date", "24/06/2026", "--signer", "Tạ Thị Dung",
                 "--signer-title", "PHÓ BÍ THƯ", stdout=io.StringIO())
    text = _text(out)
    assert "Số 12-BC/ĐU" in text and "Bình Lư, ngày 24 tháng 6 năm 2026" in text
    assert "PHÓ BÍ THƯ Tạ Thị Dung" in text and "Lò Văn Bí" not in text
    assert "quý I/2026" in text and "quý II/2026" not in text
    saved = Report.objects.get(pk=report.pk)
    assert (saved.quarters, saved.signer_name, saved.number, saved.issued_on, saved.version) == (
        "1/2026, 2/2026", "Lò Văn Bí", "", None, report.version)


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--date", "31/02/2026", "--date: Ngày không hợp lệ (dd/mm/yyyy)."),
    ("--quarters", "5/2026", "--quarters: «5/2026» không phải quý hợp lệ"),
])
def test_a_bad_option_is_named(draft, tmp_path, option, value, message):
    root, _ = draft
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("render_report", "year_end", "--year", "2025", "--org", root.code, "--out",
                     str(tmp_path / "x.pdf"), option, value)
    assert not (tmp_path / "x.pdf").exists()


def test_a_final_report_is_not_changed_by_options(draft, tmp_path):
    root, report = draft
    final = services.report_finalize(actor=user_with_role(Role.STANDING, username="btv2"), report=report, number="07",
                                     issued_on=dt.date(2026, 12, 31), signer_name="Lò Văn Bí",
                                     expected_version=report.version)
    with pytest.raises(CommandError, match="đã ban hành"):
        call_command("render_report", "year_end", "--year", "2025", "--org", root.code, "--out",
                     str(tmp_path / "x.pdf"), "--number", "99")
    out = tmp_path / "final.pdf"
    call_command("render_report", "year_end", "--year", "2025", "--org", root.code, "--out", str(out),
                 stdout=io.StringIO())
    assert out.read_bytes() == final.pdf.open("rb").read()
