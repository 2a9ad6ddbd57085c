"""The access log is written once a page is shown, so that it is truthful: a request that
was refused (404), sent elsewhere or failed did not show anyone anything, and logs nothing.
Whatever the page showed, the request writes one entry (people.access_log)."""

from .access import PENDING_READS, write_reads


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        setattr(request, PENDING_READS, [])
        response = self.get_response(request)
        pending = getattr(request, PENDING_READS)
        # From here on (a streamed file's rows) reads are written as they happen, to the same entry.
        setattr(request, PENDING_READS, None)
        if pending and response.status_code == 200:
            write_reads(request, pending)
        return response
