"""The absolute lifetime of a signed-in session (issue 13.12).

The idle timeout (``XINAN_SESSION_IDLE_MINUTES``) ends a session nobody uses; a session kept busy
(a tab that polls, a stolen cookie replayed every few minutes) would otherwise live for ever. Here
every session ends ``XINAN_SESSION_ABSOLUTE_HOURS`` after its sign-in, whatever happened since.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone

from xinan.accounts.enums import AccountAction
from xinan.accounts.services.sessions import SIGNED_IN_AT_KEY
from xinan.audit.services.record import record


class AbsoluteSessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(timezone.now().timestamp())
            started = request.session.get(SIGNED_IN_AT_KEY)
            if not isinstance(started, int):
                # A session from before this check (or made without a sign-in form): its life counts from now.
                request.session[SIGNED_IN_AT_KEY] = now
            elif now - started >= settings.SESSION_ABSOLUTE_HOURS * 3600:
                record(
                    AccountAction.SESSION_EXPIRED,
                    actor=user,
                    request=request,
                    after={"hours": settings.SESSION_ABSOLUTE_HOURS},
                )
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
