from django.urls import include, path

from courts.api.urls import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("courts.web.urls")),
]
