"""`Accept`: an operation answers only its own media type (JSON for every /omni-svcs/
operation), so a request that accepts none of it is refused with 406 in the error format
before the handler runs, and changes nothing (RFC 9110 §12.5.1). A missing header, `*/*`,
`application/*` and `application/json` with any q above 0 are all fine; the most specific
range that names the media type decides (`application/json;q=0, */*` refuses JSON)."""

from __future__ import annotations

from omnicart.wire.errors import ApiError

NOT_ACCEPTABLE = "OMNICART-REQUEST-0406"
# The partner API's paths; the probes, the docs and the console answer whatever they answer
# (a load balancer's health check or a browser is not refused for its Accept).
API_PATHS = ("/omni-svcs/", "/oauth/")
NOT_ACCEPTABLE_ANSWER = {406: "Accept allows no media type this operation answers (details.mediaTypes)"}


def negotiated(path: str) -> bool:
    """Whether the operation at `path` refuses a request that cannot take its answer."""
    return path.startswith(API_PATHS)


def check_accept(accept: str | None, media_type: str) -> None:
    """Raise the 406 when `accept` (the header's value) rules `media_type` out."""
    if accept is None or accept == "*/*" or accept == media_type or acceptable(accept, media_type):
        return
    answered = media_type.split(";", 1)[0].strip()
    raise ApiError(
        406,
        NOT_ACCEPTABLE,
        f"Accept does not allow {answered}, the only media type this operation answers",
        {"mediaTypes": [answered]},
    )


def acceptable(accept: str, media_type: str) -> bool:
    kind = media_type.split(";", 1)[0].strip().lower()
    family = kind.split("/", 1)[0] + "/*"
    specificity = {"*/*": 0, family: 1, kind: 2}
    best, quality = -1, 1.0
    for entry in accept.split(","):
        media_range, *parameters = entry.split(";")
        rank = specificity.get(media_range.strip().lower(), -1)
        if rank > best:
            best, quality = rank, _quality(parameters)
    if best == -1:
        return not accept.strip()  # an empty header asks for nothing in particular
    return quality > 0


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 1.0  # a malformed weight is no reason to refuse
    return 1.0
