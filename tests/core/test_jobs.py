"""Background jobs: progress and result pages, failure that changes nothing, who sees what, audit."""
import pytest
from django.urls import reverse

from core.dates import format_moment
from core.jobs import JobContext, start_job
from core.models import AuditEntry, Job, JobStatus, Role
from orgs.models import Block
from tests.core.sample_jobs import count_job, crashing_job, file_job, refusing_job
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return user_with_role(Role.STAFF, username="bxd")


def test_a_job_runs_records_its_result_and_is_audited(staff):
    """start_job queues the work (run at once in tests); its result and both ends are recorded."""
    job = start_job(actor=staff, kind="test.count", title="Đếm 7 dòng", task=count_job, rows=7)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.actor == staff
    assert (job.done, job.total) == (7, 7) and job.params == {"rows": 7}
    assert job.result["message"] == "Đã đếm 7 dòng."
    assert job.started_at and job.finished_at and job.task_id
    actions = list(AuditEntry.objects.filter(object_type="core.Job", object_id=str(job.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["job.start", "job.succeed"]


def test_result_page_shows_message_and_table(client, staff):
    job = start_job(actor=staff, kind="test.count", title="Đếm 3 dòng", task=count_job, rows=3)
    client.force_login(staff)

    html = client.get(job.get_absolute_url()).content.decode()

    assert "<h1>Đếm 3 dòng</h1>" in html and "Đã xong" in html and "Đã đếm 3 dòng." in html
    assert "<td>Đếm</td><td class=\"num\">3</td>" in html
    assert "hx-trigger" not in html and "http-equiv=\"refresh\"" not in html  # a finished job is not polled


def _running(staff) -> Job:
    return Job.objects.create(
        kind="test.count", title="Nhập tệp lớn", actor=staff, status=JobStatus.RUNNING,
        done=2500, total=10000, step="Đang đọc trang tính 'Đảng viên'",
    )


def test_progress_page_shows_rows_done_of_rows_and_the_step(client, staff):
    """While the job runs: rows done of rows, the step; htmx polls, and without JavaScript the page reloads."""
    job = _running(staff)
    client.force_login(staff)

    html = client.get(job.get_absolute_url()).content.decode()

    assert "Đang chạy</strong>: Đang đọc trang tính &#x27;Đảng viên&#x27;" in html
    assert '<progress max="10000" value="2500">25%</progress>' in html
    assert "2.500 / 10.000 (25%)" in html
    assert f'hx-get="{job.get_absolute_url()}" hx-trigger="every 1s" hx-swap="outerHTML"' in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert f'<a href="{job.get_absolute_url()}">Tải lại trang</a>' in html


def test_htmx_poll_gets_only_the_progress_partial(client, staff):
    job = _running(staff)
    client.force_login(staff)

    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()

    assert partial.lstrip().startswith('<section id="tien-do"') and "<html" not in partial
    assert "2.500 / 10.000" in partial
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, result={"message": "Xong rồi."})
    done = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "Xong rồi." in done and "hx-trigger" not in done  # the swap ends the polling


def test_progress_is_written_while_the_work_runs(staff, monkeypatch):
    """What the page reads mid-run: each new step at once, counts throttled but the last one kept."""
    monkeypatch.setattr("core.jobs.PROGRESS_EVERY", 3600)  # a loaded machine must not open the throttle
    job = Job.objects.create(kind="test", title="Đang chạy", actor=staff, status=JobStatus.RUNNING)
    context = JobContext(job)

    context.progress(0, 500, "Đang đọc")
    assert Job.objects.values_list("done", "total", "step").get(pk=job.pk) == (0, 500, "Đang đọc")
    context.progress(1)  # within the throttle: kept in memory only
    assert Job.objects.get(pk=job.pk).done == 0
    context.progress(step="Đang ghi")
    assert Job.objects.values_list("done", "step").get(pk=job.pk) == (1, "Đang ghi")
    context.progress(500)
    assert Job.objects.get(pk=job.pk).done == 500


@pytest.mark.parametrize(("task", "error"), [
    (refusing_job, "Dữ liệu không hợp lệ."),
    (crashing_job, "Công việc dừng vì một lỗi ngoài dự kiến (ZeroDivisionError); mọi thay đổi của công việc đã được hủy."),
])
def test_a_failing_job_changes_nothing_and_says_why_in_vietnamese(client, staff, task, error):
    job = start_job(actor=staff, kind="test.fail", title="Ghi khối", task=task, code="K-DO")

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error.startswith(error)
    assert not Block.objects.filter(code="K-DO").exists()
    assert AuditEntry.objects.filter(action="job.fail", object_id=str(job.pk)).exists()
    client.force_login(staff)
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Không thành công" in html and error.split(" (")[0] in html
    if task is refusing_job:
        assert "<li>Dòng 2: thiếu tên.</li>" in html


def test_jobs_are_listed_per_user_with_who_and_when(client, staff):
    """A user lists their own jobs; party-building staff list everyone's, with who started them."""
    secretary = user_with_role(Role.VIEWER, username="bithu")
    mine = start_job(actor=secretary, kind="test.count", title="Việc của bí thư", task=count_job, rows=1)
    theirs = start_job(actor=staff, kind="test.count", title="Việc của ban", task=count_job, rows=1)

    client.force_login(secretary)
    html = client.get(reverse("jobs:list")).content.decode()
    assert "Việc của bí thư" in html and "Việc của ban" not in html and "Người thực hiện" not in html
    assert f"<td>{format_moment(mine.created_at)}</td>" in html
    assert client.get(theirs.get_absolute_url()).status_code == 404

    client.force_login(staff)
    html = client.get(reverse("jobs:list")).content.decode()
    assert "Việc của bí thư" in html and "Việc của ban" in html
    assert "<th>Người thực hiện</th>" in html and "<td>bithu</td>" in html
    assert client.get(mine.get_absolute_url()).status_code == 200


def test_the_file_a_job_made_is_downloaded_by_its_owner_only(client, staff):
    owner = user_with_role(Role.STANDING, username="btv")
    job = start_job(actor=owner, kind="test.file", title="Tạo tệp", task=file_job, text="xin chào")
    url = reverse("jobs:download", args=[job.pk])

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == "xin chào".encode()
    assert 'filename="ket-qua.txt"' in response["Content-Disposition"]

    client.force_login(user_with_role(Role.STANDING, username="btv2"))
    assert client.get(url).status_code == 404


def test_a_job_without_a_file_has_nothing_to_download(client, staff):
    job = start_job(actor=staff, kind="test.count", title="Đếm", task=count_job, rows=1)
    client.force_login(staff)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_job_pages_need_a_signed_in_user_with_a_role(client, staff):
    job = start_job(actor=staff, kind="test.count", title="Đếm", task=count_job, rows=1)
    assert client.get(job.get_absolute_url()).status_code == 302
    client.force_login(UserFactory(username="norole"))
    assert client.get(reverse("jobs:list")).status_code == 403


def test_the_list_of_jobs_costs_the_same_queries_for_3_or_60_jobs(client, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)

    def cost() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("jobs:list")).status_code == 200
        return len(ctx.captured_queries)

    others = [user_with_role(Role.VIEWER, username=f"xem{i}") for i in range(3)]
    for user in others:
        Job.objects.create(kind="test", title="Việc", actor=user)
    small = cost()
    for i in range(57):
        Job.objects.create(kind="test", title=f"Việc {i}", actor=others[i % 3])
    assert cost() == small
