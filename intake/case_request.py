"""A case as the packet builder's ServiceRequest (what was asked for, for whom, from whom)."""

from __future__ import annotations

from datetime import date

from intake.db import Case
from intake.schemas import case_lines, unset_fields
from packet_builder.request import ServiceLine, ServiceRequest


def service_request(case: Case) -> ServiceRequest:
    return ServiceRequest(
        service_codes=tuple(case.service_codes or ()),
        service_lines=tuple(ServiceLine.from_json(line) for line in case_lines(case)),
        unset=tuple(unset_fields(case)),
        request_date=case.request_date or date.today(),
        payer_name=case.payer_name,
        plan_type=case.plan_type,
        state=case.state,
        urgency=case.urgency or "standard",
        member_id=case.member_id,
        patient_name=case.patient_name,
        patient_dob=case.patient_dob,
        reference=case.reference,
        date_of_service=case.date_of_service,
        place_of_service=case.place_of_service,
        units=case.units,
        episode=case.episode or "initial",
        out_of_network=bool(case.out_of_network),
        payer_fax=case.payer_fax,
    )
