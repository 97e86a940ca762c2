from ninja import NinjaAPI

api = NinjaAPI(title="courts API", version="1", urls_namespace="api")
