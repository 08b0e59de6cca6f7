"""The starting keyword rules for the kinds of case (the administrator edits them in the admin):
what a county's suggestions answer until it has closed cases to learn from."""

from __future__ import annotations

from typing import Any

from django.db import migrations

KIND_WORDS = {
    "consult": "请问 咨询 怎么办理 如何办理 需要什么材料 在哪里办 能不能 是否可以 多久",
    "help": "求助 帮忙 帮帮 困难 救助 无人管 没人管 急需",
    "complaint": "投诉 不满 扰民 态度差 乱收费 拖欠 严重影响 一直没有解决 推诿",
    "suggestion": "建议 希望增设 能否增设 建议增加 提议 增加一条 优化",
    "report": "举报 违法 违规 非法 偷排 私自 违章",
    "praise": "感谢 表扬 点赞 锦旗 辛苦了 给力",
}


def add_kind_rules(apps: Any, schema_editor: Any) -> None:
    KeywordRule = apps.get_model("insight", "KeywordRule")
    for kind, words in KIND_WORDS.items():
        for word in words.split():
            KeywordRule.objects.get_or_create(word=word, kind=kind, category=None)


class Migration(migrations.Migration):
    dependencies = [("insight", "0001_initial")]

    operations = [migrations.RunPython(add_kind_rules, migrations.RunPython.noop)]
