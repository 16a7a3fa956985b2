"""Pydantic's validation errors in the reader's language, by error `type` and its `ctx`.

English keeps pydantic's own wording; other languages take the catalogue's translation of the
message below (its placeholders are the error's `ctx` keys). A `ValueError` raised by one of our
validators carries its own message (a `Msg` when marked), rendered as any other.
"""

from __future__ import annotations

from typing import Any

from shuping.core.i18n import EN, N_, Msg, translate

# One message per pydantic error type a request can meet; anything else says "Invalid value".
_BY_TYPE: dict[str, Msg] = {
    "missing": N_("Field required"),
    "missing_argument": N_("Field required"),
    "extra_forbidden": N_("Unknown field; it is not allowed here"),
    "string_type": N_("Input should be text"),
    "string_too_short": N_("Text should have at least {min_length} character(s)"),
    "string_too_long": N_("Text should have at most {max_length} character(s)"),
    "string_pattern_mismatch": N_("Text does not have the expected form"),
    "string_unicode": N_("Input should be valid text"),
    "int_type": N_("Input should be a whole number"),
    "int_parsing": N_("Input should be a whole number"),
    "int_from_float": N_("Input should be a whole number, not a fraction"),
    "float_type": N_("Input should be a number"),
    "float_parsing": N_("Input should be a number"),
    "finite_number": N_("Input should be a finite number"),
    "decimal_type": N_("Input should be a number"),
    "decimal_parsing": N_("Input should be a number"),
    "decimal_max_digits": N_("The number should have at most {max_digits} digits"),
    "decimal_max_places": N_("The number should have at most {decimal_places} decimal places"),
    "decimal_whole_digits": N_("The number should have at most {whole_digits} digits before the point"),
    "bool_type": N_("Input should be true or false"),
    "bool_parsing": N_("Input should be true or false"),
    "greater_than": N_("Should be greater than {gt}"),
    "greater_than_equal": N_("Should be at least {ge}"),
    "less_than": N_("Should be less than {lt}"),
    "less_than_equal": N_("Should be at most {le}"),
    "multiple_of": N_("Should be a multiple of {multiple_of}"),
    "enum": N_("Should be one of: {expected}"),
    "literal_error": N_("Should be one of: {expected}"),
    "date_type": N_("Input should be a date (YYYY-MM-DD)"),
    "date_parsing": N_("Input should be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("Input should be a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": N_("Input should be a date without a time"),
    "datetime_type": N_("Input should be a date and time (ISO 8601)"),
    "datetime_parsing": N_("Input should be a date and time (ISO 8601)"),
    "datetime_from_date_parsing": N_("Input should be a date and time (ISO 8601)"),
    "time_parsing": N_("Input should be a time (HH:MM)"),
    "time_type": N_("Input should be a time (HH:MM)"),
    "timezone_aware": N_("The date and time should name its time zone"),
    "timezone_naive": N_("The date and time should not name a time zone"),
    "too_short": N_("Should have at least {min_length} item(s)"),
    "too_long": N_("Should have at most {max_length} item(s)"),
    "list_type": N_("Input should be a list"),
    "set_type": N_("Input should be a list"),
    "tuple_type": N_("Input should be a list"),
    "dict_type": N_("Input should be an object"),
    "model_type": N_("Input should be an object"),
    "model_attributes_type": N_("Input should be an object"),
    "json_invalid": N_("The body is not valid JSON"),
    "json_type": N_("Input should be JSON"),
    "url_parsing": N_("Input should be a valid URL"),
    "url_type": N_("Input should be a valid URL"),
    "url_scheme": N_("The URL should start with http:// or https://"),
    "uuid_parsing": N_("Input should be a valid UUID"),
    "union_tag_invalid": N_("Unknown kind: should be one of {expected_tags}"),
    "union_tag_not_found": N_("The field {discriminator} is required"),
    "is_instance_of": N_("Invalid value"),
    "bytes_too_long": N_("The file is too large"),
    "value_error": N_("Invalid value"),
    "assertion_error": N_("Invalid value"),
}
_VALUE_ERROR_PREFIX = "Value error, "


def validation_message(error: dict[str, Any], locale: str) -> str:
    """One pydantic/FastAPI error's message in `locale`."""
    msg = error.get("msg", "invalid")
    if isinstance(msg, Msg):
        return translate(msg, locale)
    ctx = error.get("ctx") or {}
    kind = str(error.get("type", ""))
    if kind in ("value_error", "assertion_error") and (cause := ctx.get("error")) is not None:
        own = cause.args[0] if isinstance(cause, BaseException) and cause.args else None
        if isinstance(own, Msg):
            return own.render(locale) if locale != EN else str(msg)
        text = str(msg).removeprefix(_VALUE_ERROR_PREFIX)
        found = translate(text, locale)
        if found != text or locale == EN:
            return str(msg) if locale == EN else found
    if locale == EN:
        return str(msg)
    template = _BY_TYPE.get(kind)
    if template is None:
        return translate(str(msg), locale)
    params = {k: str(v) for k, v in ctx.items() if k != "error"}
    try:
        return translate(Msg(template.msgid, **params), locale)
    except (KeyError, IndexError):
        return translate(template, locale)
