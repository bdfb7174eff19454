"""Synthesise the speech benchmark's utterances with espeak-ng (several voices and speeds) and sox noise.

    python -m tests.benchmarks.speech.synthesize [--set klatt|default|heldout|all]

Writes ``tests/benchmarks/out/speech/<set>/<id>.wav`` (16 kHz mono, with
silence around the speech and a low noise floor, as a microphone gives) and
a ``manifest.jsonl`` saying which voice, speed and noise each file got, and
where its speech really ends (for latency measurements).

Three voice sets: ``klatt`` uses espeak-ng's Klatt synthesiser variants, whose
spectra resemble natural speech closely enough for pocketsphinx's acoustic
model; ``default`` uses espeak-ng's standard voices, which that model hears
poorly whatever the grammar (reported separately, not hidden); ``heldout``
mixes other accents and variants at other speeds and pitches, and is never
used to choose a setting.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from desktop.speech.audio import read_wav, speech_bounds, write_wav  # noqa: E402
from desktop.speech.types import SAMPLE_RATE  # noqa: E402

HERE = Path(__file__).resolve().parent
UTTERANCES = HERE / "utterances.jsonl"
OUT = ROOT / "tests" / "benchmarks" / "out" / "speech"

VOICE_SETS = {
    "klatt": ("en-us+klatt", "en-us+klatt2", "en-us+klatt3", "en-us+klatt4", "en-us+klatt5",
              "en-us+klatt6", "en+klatt"),
    "default": ("en-us", "en-us+f3", "en", "en-us+m3", "en-gb-x-rp"),
    # Held out: never used to choose a setting. Other accents, variants (both
    # synthesisers), speeds and pitches than the two sets above.
    "heldout": ("en-gb-scotland+f2", "en-029+m1", "en-us-nyc+f1", "en-gb-x-gbclan+m7", "en-us+klatt2",
                "en-gb-x-gbcwmd+f4", "en-us+Andy"),
}
SPEEDS = (175, 140, 205, 160)
#: Per-set speeds and pitches (espeak-ng -s, -p) where they differ from the defaults.
SET_SPEEDS = {"heldout": (150, 190, 130, 215, 170)}
SET_PITCHES = {"heldout": (50, 35, 70, 45, 60, 80)}
#: (sox noise colour, SNR in dB); None: only the quiet floor every file has.
NOISES = (None, ("pinknoise", 20.0), None, ("brownnoise", 12.0), None, ("whitenoise", 25.0))
FLOOR_DBFS = -62.0


def load_utterances(path: Path = UTTERANCES) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _espeak(text: str, voice: str, speed: int, out: Path, pitch: int = 50) -> None:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(out), text],
                   check=True)


def _sox_noise(colour: str, seconds: float, out: Path) -> np.ndarray:
    # -R: sox's repeatable mode, so that every run of the benchmark hears the same noise.
    subprocess.run(["sox", "-R", "-n", "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(out),
                    "synth", f"{seconds:.3f}", colour], check=True)
    return read_wav(out).astype(np.float64)[: int(round(seconds * SAMPLE_RATE))]


def _fit(x: np.ndarray, n: int) -> np.ndarray:
    return np.pad(x, (0, max(0, n - len(x))))[:n]


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0


def synthesise_one(row: dict, index: int, voices: tuple[str, ...], out_dir: Path, tmp: Path,
                   speeds: tuple[int, ...] = SPEEDS, pitches: tuple[int, ...] = (50,)) -> dict:
    voice = voices[index % len(voices)]
    speed = speeds[(index // len(voices)) % len(speeds)]
    pitch = pitches[index % len(pitches)]
    noise = NOISES[index % len(NOISES)]
    raw = tmp / "raw.wav"
    _espeak(row["text"], voice, speed, raw, pitch)
    clean = read_wav(raw).astype(np.float64)
    lead, tail = 0.4 + 0.1 * (index % 3), 0.8
    speech = np.concatenate([np.zeros(int(lead * SAMPLE_RATE)), clean, np.zeros(int(tail * SAMPLE_RATE))])
    bounds = speech_bounds(speech.astype(np.int16))
    seconds = len(speech) / SAMPLE_RATE
    floor = _fit(_sox_noise("whitenoise", seconds, tmp / "floor.wav"), len(speech))
    mixed = speech + floor / max(_rms(floor), 1e-9) * 32767 * 10 ** (FLOOR_DBFS / 20)
    if noise is not None:
        colour, snr = noise
        n = _fit(_sox_noise(colour, seconds, tmp / "noise.wav"), len(speech))
        voiced = clean[np.abs(clean) > 0]
        target = _rms(voiced) / 10 ** (snr / 20)
        mixed = mixed + n / max(_rms(n), 1e-9) * target
    path = out_dir / f"{row['id']}.wav"
    write_wav(path, np.clip(np.round(mixed), -32768, 32767).astype(np.int16))
    return {"id": row["id"], "wav": path.name, "voice": voice, "speed": speed, "pitch": pitch,
            "noise": None if noise is None else f"{noise[0]} {noise[1]:g} dB",
            "speech_start_s": bounds[0] if bounds else None, "speech_end_s": bounds[1] if bounds else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=(*VOICE_SETS, "all"), default="klatt")
    args = parser.parse_args(argv)
    rows = load_utterances()
    for name in VOICE_SETS if args.set == "all" else (args.set,):
        out_dir = OUT / name
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            manifest = [synthesise_one(row, i, VOICE_SETS[name], out_dir, Path(tmp), SET_SPEEDS.get(name, SPEEDS),
                                       SET_PITCHES.get(name, (50,))) for i, row in enumerate(rows)]
        (out_dir / "manifest.jsonl").write_text("".join(json.dumps(m) + "\n" for m in manifest))
        print(f"{len(manifest)} utterances in {out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
