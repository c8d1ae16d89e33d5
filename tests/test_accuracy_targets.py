"""The accuracy command on the labelled samples meets issue 4's targets: codes F1 per input
format, exact member IDs, document types, no decoys read as fields, no false "complete"."""

from __future__ import annotations

import pytest

from benchmarks.accuracy import failed_targets, score_cases

pytestmark = pytest.mark.integration


def test_extraction_meets_its_targets_on_the_samples() -> None:
    result = score_cases(workers=2)
    assert failed_targets(result) == []
