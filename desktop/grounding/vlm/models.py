"""Find model weights on this machine: a configured folder, then the Hugging Face cache (offline).

Never downloads; for what is missing it says the command a person runs on a
connected machine.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import ModelMissing
from desktop.grounding.vlm import backend_class
from desktop.grounding.vlm.families import checkpoint_names, identify, read_config

__all__ = ["FoundModel", "find_models", "locate_model", "fetch_command", "hf_cache_dir"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FoundModel:
    """A checkpoint on disk and the backend that can run it."""

    backend: str
    path: Path
    size_bytes: int
    model_type: str
    repo_id: str = ""
    #: The family (see :mod:`desktop.grounding.vlm.families`) and the coordinates its answers are in.
    family: str = ""
    convention: str = ""
    #: Why a recognised checkpoint cannot run (``backend`` is then empty).
    note: str = ""


def hf_cache_dir() -> Path:
    """The hub cache, as ``huggingface_hub`` would find it (``HF_HUB_CACHE``, ``HF_HOME``)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface"))
    return home / "hub"


def fetch_command(repo_id: str, models_dir: str | os.PathLike | None = None) -> str:
    """What to run on a connected machine to fetch ``repo_id`` (then copy the folder over)."""
    target = Path(models_dir) if models_dir else Path("models-dir")
    return f"huggingface-cli download {repo_id} --local-dir {target / repo_id.split('/')[-1]}"


def find_models(models_dir: str | os.PathLike | None = None) -> list[FoundModel]:
    """Every checkpoint a backend can run: folders under ``models_dir`` (and itself), then the hub cache."""
    found: list[FoundModel] = []
    if models_dir:
        root = Path(models_dir)
        for folder in [root, *sorted(p for p in root.glob("*") if p.is_dir())] if root.is_dir() else []:
            model = _inspect(folder)
            if model is not None:
                found.append(model)
    cache = hf_cache_dir()
    for repo in sorted(cache.glob("models--*")) if cache.is_dir() else []:
        repo_id = repo.name[len("models--"):].replace("--", "/")
        for snapshot in sorted((repo / "snapshots").glob("*"))[-1:]:
            model = _inspect(snapshot, repo_id)
            if model is not None:
                found.append(model)
    return found


def locate_model(backend: str, model_dir: str | os.PathLike | None = None,
                 models_dir: str | os.PathLike | None = None) -> Path:
    """The folder to load ``backend`` from: ``model_dir`` if given, else the first one found.

    Raises
    ------
    ModelMissing
        With the fetch command for the backend's first known model.
    """
    if model_dir:
        path = Path(model_dir)
        if (path / "config.json").is_file():
            return path
        raise ModelMissing(f"{path} holds no model (no config.json).",
                           "Point --model-dir at the folder 'huggingface-cli download' created.")
    for model in find_models(models_dir):
        if model.backend == backend:
            return model.path
    known = backend_class(backend).known_models
    hint = f"On a connected machine run: {fetch_command(known[0], models_dir)}" if known else ""
    raise ModelMissing(f"No {backend} model was found on this machine.", hint)


def _inspect(folder: Path, repo_id: str = "") -> FoundModel | None:
    if not (folder / "config.json").is_file():
        return None
    config = read_config(folder)
    if not config:
        logger.info("unreadable config in %s", folder)
        return None
    model_type = str(config.get("model_type", ""))
    family = identify(model_type, (repo_id, *checkpoint_names(folder, config)))
    if family is None:
        return None
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())  # follows cache symlinks
    return FoundModel(family.backend, folder, size, model_type, repo_id or folder.name, family.name,
                      family.convention, family.note)
