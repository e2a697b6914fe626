"""The portal's own settings, plus what bench/pages.py needs from the server it measures.

Only bench/pages.py starts gunicorn with these (DJANGO_SETTINGS_MODULE=bench.settings): the
portal's URLs plus a trivial signed-in page, and a middleware, outermost, that reports each
request's SQL in response headers. Everything else (DEBUG, middleware, templates, static files)
is what production runs, read from the same environment variables.
"""

from plancore.settings import *  # noqa: F403
from plancore.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.timing.RequestTimingMiddleware", *MIDDLEWARE]

# The load test sends thousands of API requests in a minute from one signed-in reader: the API's
# hourly rate per token or session would answer 429 to most of them.
API_RATE = "1000000/hour"
