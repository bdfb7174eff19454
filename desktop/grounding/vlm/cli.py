"""``click-assist models``: what vision-language checkpoints this machine has, and how to get others."""

from __future__ import annotations

import json
from typing import TextIO

from desktop.grounding.vlm import BACKENDS, backend_class
from desktop.grounding.vlm.models import fetch_command, find_models

__all__ = ["models_command"]


def models_command(models_dir: str | None, *, as_json: bool, out: TextIO) -> int:
    """Print found models (backend, size, path) and fetch commands for backends with none; exit 0."""
    if models_dir is None:
        from desktop.core.settings import load_settings

        models_dir = load_settings().models_dir or None
    found = find_models(models_dir)
    have = {m.backend for m in found if m.backend}
    missing = {name: [fetch_command(repo, models_dir) for repo in backend_class(name).known_models]
               for name in BACKENDS if name not in have}
    if as_json:
        out.write(json.dumps({"models": [{"backend": m.backend, "path": str(m.path), "size_bytes": m.size_bytes,
                                          "model_type": m.model_type, "name": m.repo_id, "family": m.family,
                                          "convention": m.convention, "note": m.note} for m in found],
                              "missing": missing}) + "\n")
        return 0
    for m in found:
        backend = m.backend or "(cannot run)"
        out.write(f"{backend:<14} {m.family:<14} {m.convention:<16} {m.size_bytes / 1e6:9.1f} MB  {m.repo_id}  "
                  f"{m.path}\n")
        if m.note:
            out.write(f"{'':<14} {m.note}\n")
    if not found:
        out.write(f"No vision-language model found (models folder: {models_dir or 'not set'}; "
                  "and the Hugging Face cache).\n")
    for name, commands in missing.items():
        out.write(f"\n{name}: not installed. On a connected machine, run one of:\n")
        out.writelines(f"  {cmd}\n" for cmd in commands)
    return 0
