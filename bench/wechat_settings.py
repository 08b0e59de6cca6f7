"""Settings for the WeChat callback benchmark: the real ones, plus a bare baseline view."""

from wenmin.settings import *  # noqa: F403

ROOT_URLCONF = "bench.wechat_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": True}
