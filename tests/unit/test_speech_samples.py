"""The store of confirmed voice commands: what it keeps, its cap, a damaged index, and clearing it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from desktop.speech.samples import SampleStore, transform_path, voice_dir


def tone(seconds: float, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 1000, int(seconds * 16000)).astype(np.int16)


def test_keeps_recordings_with_their_words_oldest_first(tmp_path: Path) -> None:
    store = SampleStore(tmp_path / "s")
    assert store.samples() == [] and store.load() == []
    first = store.add(tone(1.0), "click  Save")
    store.add(tone(0.5, 1), "open settings")
    assert first is not None and first.path.is_file() and first.seconds == 1.0
    kept = store.load()
    assert [t for _, t in kept] == ["click Save", "open settings"]
    assert np.array_equal(kept[0][0], tone(1.0))


@pytest.mark.parametrize("audio, text", [
    (tone(1.0), "   "),             # no words
    (tone(0.1), "click save"),      # too short to be a command
    (tone(11.0), "click save"),     # too long to be one
    (np.zeros((2, 16000), np.int16), "click save"),  # not mono
])
def test_refuses_what_is_not_one_spoken_command(tmp_path: Path, audio: np.ndarray, text: str) -> None:
    store = SampleStore(tmp_path)
    assert store.add(audio, text) is None
    assert store.samples() == []


def test_the_oldest_go_when_the_store_is_full(tmp_path: Path) -> None:
    store = SampleStore(tmp_path, max_samples=3)
    for i in range(5):
        store.add(tone(0.5, i), f"click {i}")
    assert [s.text for s in store.samples()] == ["click 2", "click 3", "click 4"]
    assert len(list(tmp_path.glob("*.wav"))) == 3  # the files went too


def test_a_damaged_index_loses_only_its_bad_lines(tmp_path: Path) -> None:
    store = SampleStore(tmp_path)
    store.add(tone(0.5), "click save")
    index = tmp_path / "samples.jsonl"
    good = index.read_text()
    index.write_text("not json\n" + json.dumps({"wav": "../../etc/passwd", "text": "x"}) + "\n"
                     + json.dumps({"text": "no file"}) + "\n" + good + json.dumps({"wav": "gone.wav", "text": "y"}))
    assert [s.text for s in store.samples()] == ["click save"]
    (tmp_path / store.samples()[0].path.name).write_bytes(b"not a wav")
    assert store.load() == []  # an unreadable recording is skipped


def test_clear_deletes_every_recording(tmp_path: Path) -> None:
    store = SampleStore(tmp_path)
    for i in range(3):
        store.add(tone(0.5, i), "click save")
    assert store.clear() == 3
    assert store.samples() == [] and list(tmp_path.glob("*.wav")) == []
    assert store.clear() == 0


def test_lives_in_the_settings_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path))
    assert voice_dir() == tmp_path / "voice"
    assert transform_path() == tmp_path / "voice" / "adaptation.mllr"
    assert SampleStore().folder == tmp_path / "voice" / "samples"
