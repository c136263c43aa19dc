"""The pages of background jobs: a user's jobs, one job's progress and outcome, its file."""
from django.core.paginator import Paginator
from django.http import FileResponse
from django.template.response import TemplateResponse

from .jobs import get_visible_job, job_file, visible_jobs
from .scope import role_required

PAGE_SIZE = 50
POLL_SECONDS = 1  # htmx asks again this often while the job runs; without JavaScript, a reload


@role_required()
def job_list(request):
    """The jobs the user started (staff: everyone's), newest first, with who and when."""
    page = Paginator(visible_jobs(request.scope), PAGE_SIZE).get_page(request.GET.get("trang"))
    return TemplateResponse(request, "jobs/list.html", {
        "page": page, "show_actor": request.scope.is_staff_member,
    })


@role_required()
def job_detail(request, pk):
    """One job: its progress while it runs (polled by htmx), then its result or why it failed."""
    job = get_visible_job(request.scope, pk)
    template = "jobs/detail.html#progress" if request.htmx else "jobs/detail.html"
    return TemplateResponse(request, template, {"job": job, "poll_seconds": POLL_SECONDS})


@role_required()
def job_download(request, pk):
    """The file a finished job made (an export, a document): only for who may see the job."""
    file, name = job_file(request.scope, pk)
    return FileResponse(file, as_attachment=True, filename=name)
