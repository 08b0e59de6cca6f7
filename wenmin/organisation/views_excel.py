# Placeholder: the Excel helper replaces this module.
from __future__ import annotations

from wenmin.organisation.views import _todo

excel_home = excel_export = excel_import = _todo
