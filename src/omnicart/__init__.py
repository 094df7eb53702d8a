"""omnicart: the partner cart API of the carrier's omni-svcs platform."""

__version__ = "0.1.0"
