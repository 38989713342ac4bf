from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.shortcuts import render


class NoStoreMiddleware:
    """Pages shown to a signed-in person must not stay in shared or browser caches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store, private")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class StorageUnavailableMiddleware:
    """When the file storage fails under a page that did not expect it (a download, a generated
    letter, an export), the person sees a 503 that says so, not the generic server error. The
    page's own change was not made: every service writes the file before the row that names it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from xinan.crypto.files import StorageUnavailable

        if isinstance(exception, StorageUnavailable):
            return render(request, "503_storage.html", status=503)
        return None


class CappedUploadHandler(FileUploadHandler):
    """Stops taking a file as soon as it passes ``limit`` bytes, so a huge upload is never
    written out in full (not to memory, not to a temporary file). The other fields are still
    read; the view finds the refusal in ``request.upload_too_large``."""

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = limit or upload_limit()
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = self.limit
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_limit() -> int:
    """The largest file any upload form takes (the dossier's recordings)."""
    from xinan.dossier.enums import LARGEST_SIZE_LIMIT

    return LARGEST_SIZE_LIMIT


class UploadLimitMiddleware:
    """Installs the capped handler on every request before anything (the CSRF check) reads
    the body, so no view needs to be exempted from CSRF to cap its uploads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.upload_too_large = 0
        if request.content_type == "multipart/form-data":
            request.upload_handlers.insert(0, CappedUploadHandler(request))
        return self.get_response(request)
