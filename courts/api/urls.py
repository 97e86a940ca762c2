from ninja import NinjaAPI

from courts.api.auth import API_AUTH
from courts.api.errors import install_error_handlers
from courts.api.routers.cases import router as cases_router

api = NinjaAPI(
    title="courts API",
    version="1",
    description="Criminal-court case management. Errors are application/problem+json with a field list.",
    urls_namespace="api",
    auth=API_AUTH,
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
