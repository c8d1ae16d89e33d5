from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
import yaml

from extractors.errors import CatalogError, UnknownServiceError
from packet_builder.catalog import CATALOG_DIR, GroupRequirement, load_catalog, load_catalog_from, walk

EXPECTED_IDS = {
    "mri_lumbar_spine": {
        "common.member-id",
        "common.ordering-npi",
        "common.same-patient",
        "imaging.order",
        "imaging.clinical-note-60d",
        "mri-lumbar.diagnosis",
        "mri-lumbar.conservative-care-or-red-flag",
        "mri-lumbar.conservative-care-6w",
        "mri-lumbar.red-flag",
    },
    "sleep_study": {
        "common.member-id",
        "common.ordering-npi",
        "common.same-patient",
        "sleep.order",
        "sleep.evaluation-note",
        "sleep.epworth",
        "sleep.bmi",
        "sleep.diagnosis",
    },
}


SERVICES = {
    "mri_lumbar_spine", "mri_cervical_spine", "mri_brain", "ct_advanced", "pet", "sleep_study", "cpap",
    "cardiac_cath", "tka", "knee_arthroscopy", "lumbar_fusion", "blepharoplasty", "botulinum_toxin",
    "panniculectomy", "rhinoplasty", "vein_ablation", "cervical_fusion", "spinal_neurostimulator",
    "facet_joint", "outpatient_therapy", "power_mobility", "pembrolizumab", "adalimumab",
    "bariatric_surgery", "inpatient_admission", "out_of_network_referral",
}  # fmt: skip


def test_all_files_load_with_expected_ids():
    catalog = load_catalog()
    assert catalog.version == "2026.12.1"
    assert {s.id for s in catalog.services} == SERVICES
    for service in catalog.services:
        # Ids the labelled samples and downstream tools use stay as they are.
        if service.id in EXPECTED_IDS:
            assert EXPECTED_IDS[service.id] <= {r.id for r in walk(service.requirements)}
        for r in walk(service.requirements):
            assert r.source.strip() and r.missing_message.strip() and r.label.strip()
            assert r.effective is not None


def test_every_yaml_file_is_a_loaded_service_or_common():
    names = {p.stem for p in CATALOG_DIR.glob("*.yaml")}
    assert names == {"common"} | {s.id for s in load_catalog().services}


def test_requirement_ids_unique_within_service_and_across_catalog():
    catalog = load_catalog()
    for service in catalog.services:
        ids = [r.id for r in walk(service.requirements)]
        assert len(ids) == len(set(ids))
    own = [r.id for s in catalog.services for r in walk(s.requirements) if not r.id.startswith("common.")]
    assert len(own) == len(set(own))


def test_services_for_codes():
    catalog = load_catalog()
    assert [s.id for s in catalog.services_for(["72148", "72158"])] == ["mri_lumbar_spine"]
    assert [s.id for s in catalog.services_for([" g0399 ", "72149"])] == ["mri_lumbar_spine", "sleep_study"]


def test_unknown_code_raises_with_known_services():
    with pytest.raises(UnknownServiceError) as exc:
        load_catalog().services_for(["72148", "99213"])
    assert "99213" in str(exc.value)
    assert "mri_lumbar_spine" in str(exc.value) and "sleep_study" in str(exc.value)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def test_unknown_key_is_a_catalog_error_naming_the_file(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "sleep_study.yaml", lambda d: d["requirements"][2].update({"within_dayz": 30}))
    with pytest.raises(CatalogError) as exc:
        load_catalog_from(folder)
    assert "sleep_study.yaml" in str(exc.value) and "within_dayz" in str(exc.value)


def test_unknown_doc_type_and_bad_include_are_errors(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "mri_lumbar_spine.yaml", lambda d: d["requirements"][3].update({"doc_types": ["progress_notes"]}))
    with pytest.raises(CatalogError, match="progress_notes"):
        load_catalog_from(folder)
    folder = _copy(tmp_path / "b")
    _edit(folder / "mri_lumbar_spine.yaml", lambda d: d["requirements"].append({"include": "common.nope"}))
    with pytest.raises(CatalogError, match=r"common\.nope"):
        load_catalog_from(folder)


def test_duplicate_id_and_duplicate_code_are_errors(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "sleep_study.yaml", lambda d: d["requirements"][2].update({"id": "imaging.order"}))
    with pytest.raises(CatalogError, match=r"imaging\.order"):
        load_catalog_from(folder)
    folder = _copy(tmp_path / "b")
    _edit(folder / "sleep_study.yaml", lambda d: d["cpt"].append("72148"))
    with pytest.raises(CatalogError, match="72148"):
        load_catalog_from(folder)


def test_nested_group_children_validated():
    svc = load_catalog().services_for(["72148"])[0]
    group = next(r for r in svc.requirements if isinstance(r, GroupRequirement))
    assert group.kind == "any_of" and len(group.requirements) == 2


def test_packet_builder_imports_only_extractors():
    root = Path(__file__).resolve().parents[1] / "packet_builder"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith("intake"), f"{path.name} imports {name}"
