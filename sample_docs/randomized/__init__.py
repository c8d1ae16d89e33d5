"""A second, randomized sample corpus for measuring completeness verdicts.

Written apart from `sample_docs/cases_*` and from the catalog: what a complete case needs is
read from `shared/reference/documentation-requirements.md` (see `policies.py`), and the truth
of every case is recorded while its pages are written (the generator knows what it printed).

    from sample_docs.randomized.corpus import generate_case, SPLITS
    case = generate_case("dev", 7)      # deterministic by split and seed
    case.write(Path("/tmp/x"))          # case.json + the PDFs

Modules: `draw` (random wording and layout choices), `people` (synthetic patients, providers,
identifiers, decoys), `policies` (per-service items and how each is left unmet), `clinical`
(the clinical sentences), `documents` (document writers), `render` (PDF with reportlab),
`corpus` (a case, a split, the cache), `audit` (everything code-like printed is accounted for).
"""

GENERATOR_VERSION = "1"
