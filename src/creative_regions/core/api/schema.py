"""Every operation documents the one error body the API returns (RFC 7807 style)."""

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error: what went wrong, and messages per input field.",
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Invalid input"},
        "status": {"type": "integer", "example": 400},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Messages by field name; non_field_errors for the request.",
        },
    },
    "required": ["type", "title", "status", "detail", "errors"],
}

ERROR_RESPONSES = {
    "400": "Invalid input; see errors by field.",
    "401": "Authentication required.",
    "403": "The role does not allow this.",
    "404": "No such record, or not visible to this user.",
    "405": "Method not allowed.",
    "429": "Too many requests.",
}


def add_problem_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: adds the Problem schema and the error
    responses to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
        PROBLEM_SCHEMA
    )
    reference = {"$ref": "#/components/schemas/Problem"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
