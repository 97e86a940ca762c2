from ninja import NinjaAPI

from courts.api.auth import API_AUTH
from courts.api.errors import document_errors_as_problems, install_error_handlers
from courts.api.parsers import StorableTextParser
from courts.api.routers.cases import router as cases_router


class CourtsAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors_as_problems(schema)


api = CourtsAPI(
    title="courts API",
    version="1",
    description="Criminal-court case management. Errors are application/problem+json with a field list.",
    urls_namespace="api",
    auth=API_AUTH,
    parser=StorableTextParser(),
)
install_error_handlers(api)
api.add_router("", cases_router)
api.add_router("", "courts.api.routers.spi.router")
api.add_router("", "courts.api.routers.listing.router")
api.add_router("", "courts.api.routers.hearings.router")
api.add_router("", "courts.api.routers.court_lists.router")
api.add_router("", "courts.api.routers.resulting.router")
api.add_router("", "courts.api.routers.distribution.router")
api.add_router("", "courts.api.routers.subscriptions.router")
api.add_router("", "courts.api.routers.defence.router")
