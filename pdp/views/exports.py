"""HR's export of a part of the organisation's plans as a zip of PDFs, built in the background."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.refusal import Refused

from .. import access
from ..exports import export_file_path, export_job_create
from ..forms import ExportForm
from ..models import ExportJob

RECENT = 20


def _job_for(request, pk: int) -> ExportJob:
    """HR's own export job; anyone else, other HR staff included, gets 404."""
    if not access.may_export_plans(request.user):
        raise Http404("No such export.")
    job = ExportJob.objects.select_related("department").filter(pk=pk, requested_by=request.user).first()
    if job is None:
        raise Http404("No such export.")
    return job


@require_http_methods(["GET", "POST"])
def exports(request):
    if not access.may_export_plans(request.user):
        raise Http404("No such page.")
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = export_job_create(requested_by=request.user, department=form.cleaned_data["department"])
        except Refused as error:
            form.add_error("department", error.message)
        else:
            return redirect("pdp:export_detail", pk=job.pk)
    jobs = ExportJob.objects.filter(requested_by=request.user).select_related("department")[:RECENT]
    return render(request, "pdp/exports.html", {"form": form, "jobs": jobs})


@require_GET
def export_detail(request, pk: int):
    """The job's progress; the page polls itself (htmx) until it is done, then offers the file."""
    job = _job_for(request, pk)
    template = "pdp/_export_status.html" if request.headers.get("HX-Request") else "pdp/export_detail.html"
    return render(request, template, {"job": job, "ready": export_file_path(job) is not None})


@require_GET
def export_download(request, pk: int):
    job = _job_for(request, pk)
    path = export_file_path(job)
    if path is None:
        messages.error(request, "That export is not ready, or its file has been removed. Start a new one.")
        return redirect("pdp:export_detail", pk=job.pk)
    name = path.name.rsplit("-", 2)[0] + ".zip"  # without the job number and the random part
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response
