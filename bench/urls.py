"""The platform's URLs plus the baseline: a bare view rendering the base template."""

from django.shortcuts import render
from django.urls import include, path


def baseline(request):
    return render(request, "base.html", {})


urlpatterns = [
    path("__bench__/baseline/", baseline, name="bench-baseline"),
    path("", include("xinan.urls")),
]
