"""`wenmin insight train|suggest|evaluate|similar|snapshot`."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from wenmin.core import validators
from wenmin.insight.cli import MAX_TEXT, similar_json, suggest_json
from wenmin.insight.evaluate import held_out, on_real_texts
from wenmin.insight.services import cases_index_missing, model_train
from wenmin.insight.services.snapshot import snapshot_build


class Command(BaseCommand):
    help = "Insight: train the suggestion model, suggest for a text, evaluate, find similar cases."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("train", help="learn from the closed cases; index cases not yet indexed")
        for verb in ("suggest", "similar"):
            one = sub.add_parser(verb, help=f"{verb} for TEXT, or for each line of standard input")
            one.add_argument("text", nargs="?", default=None)
            one.add_argument("--json", action="store_true", help="one JSON object per text")
        evaluate = sub.add_parser("evaluate", help="accuracy and macro-F1: held-out and real texts")
        evaluate.add_argument("--json", action="store_true")
        snap = sub.add_parser(
            "snapshot", help="copy the duplicate index into files every process maps into memory"
        )
        snap.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "train":
            self._train()
        elif verb == "evaluate":
            self._evaluate(as_json=options["json"])
        elif verb == "snapshot":
            self._snapshot(show=not options["no_progress"] and options["verbosity"] > 0)
        else:
            answer = suggest_json if verb == "suggest" else similar_json
            for text in self._texts(options["text"]):
                result = answer(text)
                if options["json"]:
                    self.stdout.write(json.dumps(result, ensure_ascii=False))
                else:
                    self.stdout.write(self._plain(verb, result))

    def _texts(self, text: str | None) -> list[str]:
        lines = [text] if text is not None else [line.rstrip("\n") for line in sys.stdin]
        texts = []
        for number, line in enumerate(lines, start=1):
            try:
                texts.append(validators.check_text(line.strip(), max_length=MAX_TEXT))
            except Exception as error:  # noqa: BLE001  (a ValidationError: say which line)
                raise CommandError(f"text {number}: {error}") from None
        return texts

    def _plain(self, verb: str, result: dict[str, Any]) -> str:
        if verb == "suggest":
            parts = [
                f"{field}: {result[field]['name'] or '—'} ({result[field]['confidence']:.2f})"
                for field in ("kind", "category", "unit")
            ]
            return " · ".join(parts)
        rows = [
            f"{c['number']}\t{c['state_label']}\t{c['score']:.2f}\t{'、'.join(c['shared_words'])}"
            for c in result["cases"]
        ]
        return "\n".join(rows) or "—"

    def _train(self) -> None:
        started = time.perf_counter()
        indexed = cases_index_missing()
        model = model_train(actor=None)
        seconds = time.perf_counter() - started
        if model is None:
            self.stdout.write(
                f"indexed {indexed} cases; too few closed cases to learn from: the keyword "
                "rules go on answering"
            )
            return
        self.stdout.write(
            f"indexed {indexed} cases; model v{model.pk} trained on {model.trained_on} closed "
            f"cases in {seconds:.1f} s"
        )

    def _snapshot(self, *, show: bool) -> None:
        bar: Any = tqdm(
            total=0, unit=" rows", unit_scale=True, disable=None if show else True, file=sys.stderr
        )
        try:
            made = snapshot_build(
                actor=None, total=lambda n: bar.reset(total=n), progress=bar.update
            )
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        self.stdout.write(
            f"snapshot {made.token}: {made.rows} index entries in {made.seconds:.1f} s, "
            f"in {settings.WENMIN_INSIGHT_SNAPSHOT_DIR}"
        )

    def _evaluate(self, *, as_json: bool) -> None:
        result = {"held_out": held_out(), "real_texts": on_real_texts()}
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        for part, figures in result.items():
            extra = figures.get("train", figures.get("source", ""))
            self.stdout.write(f"{part} ({extra}):")
            for field in ("kind", "category", "unit"):
                row = figures.get(field)
                if row:
                    self.stdout.write(
                        f"  {field:9} n={row['n']:5}  accuracy {row['accuracy']:.3f}  "
                        f"macro-F1 {row['macro_f1']:.3f}"
                    )
            if "error" in figures:
                self.stdout.write(f"  {figures['error']}")
