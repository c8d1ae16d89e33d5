"""The cases written outside the project (sample_docs/outside): none that its tester judged
incomplete is called complete. Pure: text documents, no OCR, no storage."""

from __future__ import annotations

import pytest

from benchmarks.completeness_outside import ROOT, score_case

CASES = sorted(p for p in ROOT.iterdir() if p.is_dir())


def test_the_corpus_is_there():
    assert len(CASES) == 156


@pytest.mark.parametrize("folder", [c for c in CASES if "_incomplete" in c.name], ids=lambda p: p.name)
def test_an_incomplete_case_is_never_called_complete(folder):
    result = score_case(folder)
    assert result["expected"] == "incomplete" and result["got"] != "complete", result
