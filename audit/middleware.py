from audit.context import origin_from_request, reset_origin, set_origin


class RequestOriginMiddleware:
    """Record the IP address and user agent of web and API requests for audit events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_origin(origin_from_request(request, channel))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)
