"""The service's context enhancer skips presidio's deep copy and changes nothing else."""

from __future__ import annotations

import random

import pytest
from presidio_analyzer import AnalyzerEngine

from redact.recognizers import InPlaceContextEnhancer, analyzer
from tests.ingest.helpers import minutes_text

CONTEXT_LINES = (
    "Phone: 01632 960 123. Mobile 07700 900 456.",
    "His PNC number is 09/123456K and his CRO number 123456/09B.",
    "Email jo.bloggs@example.org about the ViSOR record.",
    "Call 01632 960123 to speak to the offender manager.",
    "See the website example.org for the leaflet.",  # URL scores 0.5, raised by "website"
)


@pytest.fixture(scope="module")
def engines() -> tuple[AnalyzerEngine, AnalyzerEngine]:
    service = analyzer().engine
    stock = AnalyzerEngine(registry=service.registry, nlp_engine=service.nlp_engine, supported_languages=["en"])
    assert isinstance(service.context_aware_enhancer, InPlaceContextEnhancer)
    assert not isinstance(stock.context_aware_enhancer, InPlaceContextEnhancer)
    return service, stock


def _shape(results: list) -> list[tuple]:
    return sorted((r.entity_type, r.start, r.end, round(r.score, 6),
                   r.analysis_explanation.supportive_context_word if r.analysis_explanation else None)
                  for r in results)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_same_results_and_scores_as_presidios_own_enhancer(engines: tuple[AnalyzerEngine, AnalyzerEngine],
                                                            seed: int) -> None:
    service, stock = engines
    rng = random.Random(seed)
    lines = [minutes_text(seed, rng)[:3000], *rng.sample(CONTEXT_LINES, k=len(CONTEXT_LINES))]
    rng.shuffle(lines)
    text = "\n\n".join(lines)
    nlp = analyzer().nlp
    artifacts = service.nlp_engine.artifacts(nlp(text))  # type: ignore[attr-defined]
    ours = service.analyze(text, language="en", nlp_artifacts=artifacts)
    theirs = stock.analyze(text, language="en", nlp_artifacts=artifacts)
    assert _shape(ours) == _shape(theirs)
    # the comparison covers a score raised by a context word, not only untouched ones
    assert any(r.entity_type == "URL" and r.score > 0.5 for r in ours)


def test_the_results_given_are_raised_in_place_not_copied(engines: tuple[AnalyzerEngine, AnalyzerEngine]) -> None:
    from presidio_analyzer import AnalysisExplanation, RecognizerResult

    service, _ = engines
    text = "See the website example.org for the leaflet."
    url = next(r for r in service.registry.recognizers if "URL" in r.supported_entities)
    start = text.index("example.org")
    given = RecognizerResult("URL", start, start + len("example.org"), 0.5,
                             AnalysisExplanation(url.name, 0.5),
                             recognition_metadata={RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: url.id})
    artifacts = service.nlp_engine.artifacts(analyzer().nlp(text))  # type: ignore[attr-defined]
    out = InPlaceContextEnhancer().enhance_using_context(text, [given], artifacts, [url])
    assert out == [given] and out[0] is given and given.score > 0.5
