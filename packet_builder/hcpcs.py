"""Descriptions of the HCPCS Level II codes the catalog names (data/hcpcs.yaml), for the cover.

HCPCS Level II descriptors are public CMS data; CPT descriptors are AMA copyright and are never
shown: a CPT code is shown with the catalog's own label of the service instead.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "hcpcs.yaml"
HCPCS_LEVEL2 = re.compile(r"[A-V][0-9]{4}")


@functools.lru_cache(maxsize=1)
def hcpcs_descriptions() -> dict[str, str]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {str(code).upper(): str(text) for code, text in raw["codes"].items()}


def is_hcpcs_level2(code: str) -> bool:
    return bool(HCPCS_LEVEL2.fullmatch(code.strip().upper()))


def describe_code(code: str, service_label: str | None) -> str:
    """ "E0601 Continuous positive airway pressure (CPAP) device (HCPCS)";
    "72148 (CPT) - service: MRI lumbar spine" (our label, never the AMA descriptor)."""
    code = code.strip().upper()
    service = f" - service: {service_label}" if service_label else ""
    if is_hcpcs_level2(code):
        text = hcpcs_descriptions().get(code)
        return f"{code} {text} (HCPCS){service}" if text else f"{code} (HCPCS){service}"
    return f"{code} (CPT){service}"


@functools.lru_cache(maxsize=1)
def descriptions_source() -> str:
    """Where the cover's HCPCS descriptions come from (the manifest's code-set versions)."""
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return " ".join(str(raw["source"]).split())
