"""Providers: the systems around an order that omnicart does not own (address validation,
customer directory, credit bureau, scheduling), behind the small interface of
providers/interface.py. `open_providers` picks them by name:

- "none": no providers; the fiber endpoints answer 501 (the default outside the sandbox);
- "sandbox": the sandbox world (the default in sandbox mode), from `world_path` or the
  packaged `omnicart/data/world.json`;
- any other name: the Python entry point of that name in the group "omnicart.providers",
  a callable taking the settings' world path (usually ignored) and returning `Providers`
  (docs/providers.md).
"""

from __future__ import annotations

from importlib.metadata import entry_points

from omnicart.domain.world import load_default_world, load_world
from omnicart.providers.interface import NO_PROVIDERS, Providers
from omnicart.providers.sandbox import sandbox_providers

ENTRY_POINTS = "omnicart.providers"


def open_providers(name: str, world_path: str | None = None) -> Providers:
    if name == "none":
        return NO_PROVIDERS
    if name == "sandbox":
        return sandbox_providers(load_world(world_path) if world_path else load_default_world())
    found = entry_points(group=ENTRY_POINTS, name=name)
    if not found:
        raise ValueError(
            f"OMNICART_PROVIDERS={name!r}: no entry point of that name in the group {ENTRY_POINTS!r} "
            "(installed: " + (", ".join(sorted(e.name for e in entry_points(group=ENTRY_POINTS))) or "none") + ")"
        )
    made = next(iter(found)).load()(world_path)
    if not isinstance(made, Providers):
        raise ValueError(f"entry point {name!r} returned {type(made).__name__}, not omnicart.providers.Providers")
    return made


__all__ = ["ENTRY_POINTS", "Providers", "open_providers"]
