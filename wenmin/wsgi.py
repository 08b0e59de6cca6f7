from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenmin.settings")
application = get_wsgi_application()
# What is loaded by now (Django, every app and its modules) lives as long as the worker: moved
# out of the collector's generations, a full collection scans only what requests make. Ranking a
# county's 8,642 party members spent about a third of its time in full collections of the rest.
gc.freeze()
