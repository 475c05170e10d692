"""The public status page on the web: ``GET /status`` (HTML), ``/status.json`` and
``/status/feed.atom``, in French and English, served from an in-process cache by the same
server as Slack's requests, and written as static files by ``astreinte status export``.

- ``words``: the language negotiation and how dates and numbers are written;
- ``documents``: the three documents of a ``StatusPage`` (Jinja2 templates with
  autoescape on, their words from ``messages/*/status.yaml``, and the JSON);
- ``cache``: the pages kept rendered until the data change (one cheap query at most
  every few seconds) or a boundary passes;
- ``wsgi``: the routes, ETag / 304, Cache-Control;
- ``export``: the static copy."""
