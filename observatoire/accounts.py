"""Sign-in throttling's two doors (django-axes): the lockout page, and a reset that lifts the lock.

A person locked out after too many wrong passwords is told, in a sentence, how long to wait and
that choosing a new password by e-mail gets them in at once: proving they own the account's
address is a better proof than waiting, so a completed reset clears that account's failures.
"""

import math

from axes.helpers import get_cool_off
from axes.utils import reset as reset_failures
from django.contrib.auth import views as auth_views
from django.shortcuts import render


def lockout(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page for a refused sign-in, 429 with Retry-After."""
    cool_off = get_cool_off(request)
    seconds = max(1, int(cool_off.total_seconds())) if cool_off else None
    context = {"minutes": math.ceil(seconds / 60) if seconds else None}
    response = render(request, "registration/locked_out.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        reset_failures(username=self.user.get_username())
        return response
