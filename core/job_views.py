"""The pages of background jobs: a user's jobs, one job's progress and outcome, its file, a rerun."""
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .downloads import file_download
from .jobs import get_visible_job, job_file, mark_stale_jobs, retry_job, retry_task, visible_jobs
from .scope import role_required

PAGE_SIZE = 50
POLL_SECONDS = 1  # htmx asks again this often while the job runs; without JavaScript, a reload


@role_required()
def job_list(request):
    """The jobs the user started (staff: everyone's), newest first, with who and when."""
    mark_stale_jobs()  # a job whose worker died shows as interrupted, not running for ever
    page = Paginator(visible_jobs(request.scope), PAGE_SIZE).get_page(request.GET.get("trang"))
    return TemplateResponse(request, "jobs/list.html", {
        "page": page, "show_actor": request.scope.is_staff_member,
    })


@role_required()
def job_detail(request, pk):
    """One job: its progress while it runs (polled by htmx), then its result or why it failed."""
    job = get_visible_job(request.scope, pk)
    template = "jobs/detail.html#progress" if request.htmx else "jobs/detail.html"
    can_retry = job.actor_id == request.user.pk and retry_task(job) is not None
    return TemplateResponse(request, template, {"job": job, "poll_seconds": POLL_SECONDS, "can_retry": can_retry})


@require_POST
@role_required()
def job_retry(request, pk):
    """Start an interrupted job again with the same parameters (its owner only), then show the new job."""
    job = get_visible_job(request.scope, pk)
    if job.actor_id != request.user.pk:
        raise PermissionDenied
    return redirect(retry_job(actor=request.user, job=job))


@role_required()
def job_download(request, pk):
    """The file a finished job made (an export, a document): only for who may see the job."""
    file, name = job_file(request.scope, pk)
    return file_download(file, name)
