"""The county's starting catalogue of village indicators (the administrator keeps it in the
admin): the 秀美乡村 campaign's demolitions, roads and leisure spaces, the 七改 (seven
renovations), the 三网 (three networks) and the "8+4" service platforms."""

from __future__ import annotations

from typing import Any

from django.db import migrations

# code, name, group, unit, cumulative (the months add up), whole numbers only
INDICATORS = [
    ("demolished_buildings", "拆除危旧房", "拆危", "栋", True, True),
    ("demolished_area", "拆除危旧房面积", "拆危", "m²", True, False),
    ("roads_hardened", "道路硬化", "七改", "km", True, False),
    ("leisure_spaces", "休闲场所", "公共空间", "个", True, True),
    ("toilets_rebuilt", "改厕", "七改", "户", True, True),
    ("water_rebuilt", "改水", "七改", "户", True, True),
    ("houses_rebuilt", "改房", "七改", "户", True, True),
    ("drains_rebuilt", "改沟", "七改", "m", True, False),
    ("ponds_rebuilt", "改塘", "七改", "口", True, True),
    ("surroundings_improved", "改环境", "七改", "处", True, True),
    ("power_network", "电网入户", "三网", "户", False, True),
    ("broadcast_network", "广播电视网入户", "三网", "户", False, True),
    ("internet_network", "宽带网入户", "三网", "户", False, True),
    ("service_platforms", "“8+4”服务平台运行", "8+4", "个", False, True),
]


def add_indicators(apps: Any, schema_editor: Any) -> None:
    Indicator = apps.get_model("villages", "Indicator")
    for order, (code, name, group, unit, cumulative, whole) in enumerate(INDICATORS, start=1):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "unit": unit,
                "cumulative": cumulative,
                "whole": whole,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("villages", "0001_initial")]

    operations = [migrations.RunPython(add_indicators, migrations.RunPython.noop)]
