"""The text models: TF-IDF over jieba's words and over character pairs, and a linear classifier
for each of kind, category and lead unit (the unit's also sees the township). Pure: examples
in, a fitted object out; no database, so the bench and `evaluate` use it directly."""

from __future__ import annotations

import io
import pickle  # noqa: S403  (our own models, written and read by this module only)
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, f1_score

from wenmin.core.text_zh import analyzer

MIN_EXAMPLES = 30  # closed cases below which the keyword rules answer instead
FORMAT = 1


@dataclass(frozen=True)
class Example:
    text: str
    kind: str
    category: str
    unit: str
    place: str = ""  # the township's code: units often follow the place


@dataclass
class Ranked:
    """A field's answer: labels with their probabilities, best first."""

    labels: list[str]
    scores: list[float]

    def top(self, n: int = 4) -> list[tuple[str, float]]:
        return list(zip(self.labels[:n], self.scores[:n], strict=False))


def _classifier() -> SGDClassifier:
    return SGDClassifier(loss="log_loss", alpha=2e-5, max_iter=30, tol=1e-4, random_state=7)


@dataclass
class TextModel:
    """Fitted vectorisers and classifiers; `rank_*` answer one text."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    places: list[str]
    kind: SGDClassifier | str
    category: SGDClassifier | str
    unit: SGDClassifier | str
    trained_on: int = 0
    format: int = FORMAT
    labels: dict[str, int] = field(default_factory=dict)

    def _x(self, texts: list[str]) -> sparse.csr_matrix:
        return sparse.hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()

    def _place_x(self, x: sparse.csr_matrix, places: list[str]) -> sparse.csr_matrix:
        index = {p: i for i, p in enumerate(self.places)}
        rows = [i for i, p in enumerate(places) if p in index]
        cols = [index[places[i]] for i in rows]
        extra = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(places), len(self.places))
        )
        return sparse.hstack([x, extra]).tocsr()

    @staticmethod
    def _rank(model: SGDClassifier | str, x: sparse.csr_matrix) -> list[Ranked]:
        if isinstance(model, str):  # one class only in the history
            return [Ranked([model], [1.0]) for _ in range(x.shape[0])]
        probabilities = model.predict_proba(x)
        classes = [str(c) for c in model.classes_]
        out = []
        for row in probabilities:
            order = np.argsort(-row)
            out.append(Ranked([classes[i] for i in order], [float(row[i]) for i in order]))
        return out

    def rank(self, texts: list[str], places: list[str]) -> list[tuple[Ranked, Ranked, Ranked]]:
        """(kind, category, unit) for each text."""
        x = self._x(texts)
        kinds = self._rank(self.kind, x)
        categories = self._rank(self.category, x)
        units = self._rank(self.unit, self._place_x(x, places))
        return list(zip(kinds, categories, units, strict=True))

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump(self, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return buffer.getvalue()

    @staticmethod
    def loads(blob: bytes) -> TextModel:
        model = pickle.loads(blob)  # noqa: S301  (written by dumps above, kept in our database)
        if not isinstance(model, TextModel) or model.format != FORMAT:
            raise ValueError("not a model of this version")
        return model


def _fit(labels: list[str], x: sparse.csr_matrix) -> SGDClassifier | str:
    if len(set(labels)) < 2:
        return labels[0]
    return _classifier().fit(x, labels)


def train(examples: list[Example]) -> TextModel:
    """Fit the three classifiers on closed cases (at least MIN_EXAMPLES)."""
    if len(examples) < MIN_EXAMPLES:
        raise ValueError(f"{len(examples)} examples; at least {MIN_EXAMPLES} are needed")
    texts = [e.text for e in examples]
    words = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=2, max_features=60_000)
    chars = TfidfVectorizer(
        analyzer="char", ngram_range=(2, 2), sublinear_tf=True, min_df=2, max_features=60_000
    )
    x = sparse.hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    places = sorted({e.place for e in examples if e.place})
    model = TextModel(
        words=words,
        chars=chars,
        places=places,
        kind=_fit([e.kind for e in examples], x),
        category=_fit([e.category for e in examples], x),
        unit="",
        trained_on=len(examples),
    )
    units = [e.unit for e in examples]
    model.unit = _fit(units, model._place_x(x, [e.place for e in examples]))
    return model


def scores(truth: list[str], predicted: list[str]) -> dict[str, float]:
    """Accuracy and macro-F1 (over the classes that occur in the truth)."""
    if not truth:
        return {"n": 0, "accuracy": 0.0, "macro_f1": 0.0}
    labels = sorted(set(truth))
    return {
        "n": len(truth),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(
            float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4
        ),
    }
