"""Staff pages of the support missions: everything here is 404 to anyone but staff."""

from functools import wraps

from django.http import Http404


def staff_only(view):
    """Missions are not even acknowledged to exist for non-staff: 404, not 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
