"""The person's confirmed voice commands, kept on this computer (only when they opt in) to adapt to their voice.

Each command that was carried out after the person confirmed it is stored
as a WAV file of just the speech and the words that ran, in
``<config dir>/voice/samples/``. The store is capped (the oldest go first),
never leaves the machine, and :meth:`SampleStore.clear` empties it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop.speech.audio import read_wav, write_wav
from desktop.speech.types import SAMPLE_RATE, AudioUnreadable

__all__ = ["SampleStore", "VoiceSample", "voice_dir", "transform_path", "warp_path", "MAX_SAMPLES"]

logger = logging.getLogger(__name__)

#: Recordings kept at most (about 2 MB at a typical 1.5 s each); the oldest are dropped first.
MAX_SAMPLES = 300
#: Longer recordings are not single commands and are not kept.
MAX_SECONDS = 10.0
_INDEX = "samples.jsonl"


def voice_dir() -> Path:
    """Where voice adaptation data lives: ``voice/`` in the settings folder."""
    from desktop.core.settings import config_dir

    return config_dir() / "voice"


def transform_path() -> Path:
    """The person's voice adaptation (an MLLR transform), used by the recognizer when it exists."""
    return voice_dir() / "adaptation.mllr"


def warp_path() -> Path:
    """The learned vocal tract warp's recent scores (numbers only: no audio, no words)."""
    return voice_dir() / "warp.json"


@dataclass(frozen=True)
class VoiceSample:
    """One stored recording and the words that ran."""

    path: Path
    text: str
    seconds: float


class SampleStore:
    """Recordings of confirmed commands in ``folder`` (``voice/samples`` in the settings folder by default).

    Parameters
    ----------
    folder
        Where the WAV files and their index live.
    max_samples
        The oldest recordings are deleted beyond this many.
    """

    def __init__(self, folder: str | Path | None = None, max_samples: int = MAX_SAMPLES) -> None:
        self.folder = Path(folder) if folder is not None else voice_dir() / "samples"
        self.max_samples = max_samples
        self._lock = threading.Lock()

    def add(self, audio: np.ndarray, text: str) -> VoiceSample | None:
        """Keep ``audio`` (16 kHz mono int16, just the speech) as a recording of ``text``.

        Returns ``None`` (and keeps nothing) for empty text, silence or a
        recording too long to be one command.
        """
        samples = np.asarray(audio)
        seconds = len(samples) / SAMPLE_RATE
        if not text.strip() or samples.ndim != 1 or not 0.2 <= seconds <= MAX_SECONDS:
            return None
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{time.strftime('%Y%m%d-%H%M%S')}-{time.perf_counter_ns() % 1_000_000:06d}.wav"
            write_wav(self.folder / name, samples.astype(np.int16))
            entries = self._entries() + [{"wav": name, "text": " ".join(text.split()), "seconds": round(seconds, 3)}]
            for old in entries[:-self.max_samples] if len(entries) > self.max_samples else []:
                (self.folder / old["wav"]).unlink(missing_ok=True)
            self._write(entries[-self.max_samples:])
        logger.debug("kept a recording of a confirmed command (%.1f s)", seconds)
        return VoiceSample(self.folder / name, text, seconds)

    def samples(self) -> list[VoiceSample]:
        """The stored recordings, oldest first (entries whose file went missing are left out)."""
        with self._lock:
            entries = self._entries()
        return [VoiceSample(self.folder / e["wav"], e["text"], float(e.get("seconds", 0.0))) for e in entries
                if (self.folder / e["wav"]).is_file()]

    def load(self) -> list[tuple[np.ndarray, str]]:
        """Every readable recording with its words (unreadable files are skipped with a warning)."""
        out = []
        for sample in self.samples():
            try:
                out.append((read_wav(sample.path), sample.text))
            except AudioUnreadable as exc:
                logger.warning("skipped a stored recording: %s", exc.user_message)
        return out

    def clear(self) -> int:
        """Delete every stored recording; how many there were."""
        with self._lock:
            entries = self._entries()
            for e in entries:
                (self.folder / e["wav"]).unlink(missing_ok=True)
            (self.folder / _INDEX).unlink(missing_ok=True)
        return len(entries)

    def _entries(self) -> list[dict]:
        """The index, oldest first; a damaged line is skipped rather than losing the rest."""
        try:
            lines = (self.folder / _INDEX).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        except OSError as exc:
            logger.warning("could not read the voice recordings index: %s", exc)
            return []
        out = []
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("wav"), str) and isinstance(entry.get("text"), str) \
                    and "/" not in entry["wav"] and "\\" not in entry["wav"]:
                out.append(entry)
        return out

    def _write(self, entries: list[dict]) -> None:
        tmp = self.folder / (_INDEX + ".tmp")
        tmp.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
        tmp.replace(self.folder / _INDEX)
