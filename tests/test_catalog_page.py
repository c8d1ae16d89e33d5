"""The generated catalog page names every service, code, requirement and source."""

from __future__ import annotations

from packet_builder.catalog import load_catalog, walk
from packet_builder.catalog_page import criteria, markdown
from packet_builder.clocks import load_clock_rules
from packet_builder.overlay import load_overlays
from packet_builder.precert_required import load_precert_rules


def test_page_lists_every_service_code_and_requirement():
    catalog = load_catalog()
    page = markdown(catalog, load_overlays(), load_precert_rules(), load_clock_rules())
    for service in catalog.services:
        assert f"`{service.id}`" in page
        for code in service.codes:
            assert code in page
        for r in walk(service.requirements):
            assert f"`{r.id}`" in page
    for o in load_overlays():
        assert f"`{o.id}`" in page
    for r in load_precert_rules().rules:
        assert f"`{r.id}`" in page


def test_every_requirement_reads_as_words():
    for service in load_catalog().services:
        for r in walk(service.requirements):
            text = criteria(r)
            assert text and "None" not in text, (r.id, text)
