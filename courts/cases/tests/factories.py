"""Valid case intakes built from real reference data, for tests of every channel."""

import datetime as dt
from typing import Any

from courts.cases.identifiers import asn_check_character
from courts.common.clock import court_today

# Real codes from the loaded reference data.
THEFT_FROM_SHOP = "TH68010"  # either way
COMMON_ASSAULT = "CJ88116"  # summary
COURT_OU = "B01LY00"  # Lavender Hill Magistrates' Court (organisation_unit.csv)


def valid_asn(sequence: int = 448754, year: str = "25", force_unit: str = "01ZD", system: str = "01") -> str:
    base = f"{year}{force_unit}{system}{sequence:011d}"
    return base + asn_check_character(base)


def case_payload(urn: str = "01AB1234525", **overrides: Any) -> dict[str, Any]:
    today = court_today()
    payload = {
        "urn": urn,
        "initiationType": "CHARGE",
        "firstHearing": {"courtCentre": COURT_OU, "date": (today + dt.timedelta(days=7)).isoformat()},
        "defendants": [
            {
                "type": "PERSON",
                "firstName": "Jane",
                "lastName": "Doe",
                "dateOfBirth": "1990-05-17",
                "gender": "FEMALE",
                "address": {"lines": ["1 High Street", "London"], "postcode": "SW11 1JU"},
                "asn": valid_asn(),
                "pncId": "2004/0046583U",
                "bailStatus": "B",
                "bailConditions": "Not to enter Clapham Junction station",
                "offences": [
                    {
                        "offenceCode": THEFT_FROM_SHOP,
                        "wording": "On 1 March 2025 at London stole food to the value of £30 belonging to Shop Ltd",
                        "startDate": (today - dt.timedelta(days=30)).isoformat(),
                        "chargeDate": (today - dt.timedelta(days=29)).isoformat(),
                    }
                ],
            }
        ],
    }
    payload.update(overrides)
    return payload
