from __future__ import annotations

from django.http import HttpResponse

from xinan.dossier.services.documents import content_disposition


def file_response(data: bytes, *, content_type: str, filename: str, fallback: str) -> HttpResponse:
    """A download that the browser never sniffs or renders in the page, with its Chinese name."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback=fallback)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
