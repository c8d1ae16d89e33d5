"""A second, randomized sample corpus for measuring completeness verdicts.

Written apart from `sample_docs/cases_*` and from the catalog: what a complete case needs is
read from `shared/reference/documentation-requirements.md` (see `policies.py`), and the truth
of every case is recorded while its pages are written (the generator knows what it printed).

    from sample_docs.randomized.corpus import generate_case, ensure_case, SPLITS
    case = generate_case(7)             # deterministic by seed (dev 0-149, held 100000-100199)
    case.write(Path("/tmp/x"))          # case.json + the PDFs
    ensure_case(7)                      # the same, cached under /tmp/precert-randomized/dev/

Modules: `draw` (random wording and layout choices), `people` (synthetic patients, providers,
identifiers, decoys), `policies` (per-service items and how each is left unmet), `clinical`
(the clinical sentences), `documents` (the blocks every document shares and the ledger of
what it prints), `services` (a case's context: order, state form, card, other-patient page),
`builders` (one writer per service), `render` (PDF with reportlab),
`corpus` (a case, a split, the cache), `audit` (everything code-like printed is accounted for).
"""

GENERATOR_VERSION = "1"
