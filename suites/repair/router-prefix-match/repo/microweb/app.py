"""Application object: route registration and request dispatch."""

from .routing import Route


class Response:
    def __init__(self, body="", status=200, headers=None):
        self.body = body
        self.status = status
        self.headers = headers or {}

    def __repr__(self):
        return "Response(%r, status=%d)" % (self.body, self.status)


class App:
    def __init__(self):
        self.routes = []

    def route(self, pattern, methods=("GET",), name=None):
        def decorator(handler):
            self.routes.append(Route(pattern, handler, methods, name))
            return handler

        return decorator

    def url_for(self, name, **params):
        for route in self.routes:
            if route.name == name:
                return route.build(**params)
        raise LookupError("no route named %r" % name)

    def dispatch(self, method, path):
        """Call the first route matching ``path``; 405 if only the method differs, else 404."""
        allowed = set()
        for route in self.routes:
            params = route.match(path)
            if params is None:
                continue
            if method.upper() not in route.methods:
                allowed |= route.methods
                continue
            result = route.handler(**params)
            return result if isinstance(result, Response) else Response(result)
        if allowed:
            return Response("method not allowed", 405, {"Allow": ", ".join(sorted(allowed))})
        return Response("not found", 404)
