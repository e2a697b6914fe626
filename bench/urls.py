"""The portal's URLs and one more for the benchmark: a signed-in page that answers "ok".

The trivial page goes through the same middleware as every page (sessions, sign-in, CSRF, the
second-factor check…), so what a portal page costs beyond it is the page's own work.
"""

from django.http import HttpResponse
from django.urls import path

from plancore.urls import urlpatterns as portal_urlpatterns


def ok(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/ok/", ok, name="bench_ok"), *portal_urlpatterns]
