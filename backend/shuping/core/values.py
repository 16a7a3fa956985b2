"""Value types shared by request and response schemas: exact decimals and ISO dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer

from shuping.core.i18n import N_


def decimal_text(value: Decimal) -> str:
    """Plain notation without trailing zeros: Decimal("30.00") → "30", Decimal("0.4000") → "0.4"."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


# Decimals leave the API as strings ("0.4", "30"), never as floats.
DecimalOut = Annotated[
    Decimal,
    PlainSerializer(decimal_text, return_type=str, when_used="json"),
    Field(json_schema_extra={"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}),
]


def _no_booleans(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError(N_("expected a number, not true or false"))
    return value


def decimal_in(*, max_digits: int, decimal_places: int, **bounds: Any) -> Any:
    """A decimal taken strictly: a JSON number or a numeric string ("12abc", true, NaN are refused), within bounds."""
    return Annotated[
        Decimal,
        BeforeValidator(_no_booleans),
        Field(max_digits=max_digits, decimal_places=decimal_places, allow_inf_nan=False, **bounds),
    ]


# Points of a rubric item or an indicator: up to 999999.99.
PointsIn = decimal_in(max_digits=8, decimal_places=2, ge=0)
PositivePointsIn = decimal_in(max_digits=8, decimal_places=2, gt=0)
# A share of 1 (weights, fractions, thresholds): 0..1 with four decimal places.
ShareIn = decimal_in(max_digits=5, decimal_places=4, ge=0, le=1)
PositiveShareIn = decimal_in(max_digits=5, decimal_places=4, gt=0, le=1)


def _iso_date_only(value: object) -> object:
    """Refuse numbers as dates: lax parsing would read 20130101 as a Unix timestamp."""
    if isinstance(value, bool | int | float) or (
        isinstance(value, str) and value.strip().lstrip("+-").replace(".", "").isdigit()
    ):
        raise ValueError(N_("expected an ISO 8601 date such as 2013-06-30"))
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
