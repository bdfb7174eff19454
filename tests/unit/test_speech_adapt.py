"""Voice adaptation: the model reader and front end match pocketsphinx, transform files, and real adaptation.

The adaptation tests use real espeak-ng speech through the real recognizer:
a voice the bundled model hears poorly is adapted from commands with known
words, then heard again on other commands.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest

pytest.importorskip("pocketsphinx")

from desktop.speech.adapt import MIN_SAMPLES, AdaptationReport, adapt_voice, normalise_words  # noqa: E402
from desktop.speech.adapt_check import HeldOutCheck, compare, folds, word_errors  # noqa: E402
from desktop.speech.audio import read_wav  # noqa: E402
from desktop.speech.mllr import Transform, read_transform, write_transform  # noqa: E402
from desktop.speech.samples import SampleStore  # noqa: E402
from desktop.speech.sphinx import SphinxRecognizer  # noqa: E402
from desktop.speech.sphinx_model import FrontEnd, features, load_model, stream_sizes  # noqa: E402
from desktop.speech.types import AdaptationError  # noqa: E402

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng to synthesise speech")

#: A voice the bundled model hears poorly (about 70% of commands before adaptation).
VOICE = "en-gb-x-gbclan+m7"
SCREEN = ["Save", "Cancel", "Settings", "Help", "Print", "Refresh", "Archive", "Inbox", "Drafts", "Desktop",
          "Documents", "Music", "Trash", "Bold", "Italic", "Edit", "Format", "Window", "Home", "Display",
          "Network", "Privacy", "Apply", "Theme", "Country", "Phone", "Password", "Email", "Calculator"]
ADAPT = ["click city", "click the email field", "click general options", "click low", "click start page",
         "open activities", "click the phone field", "click your full name", "click country", "click theme",
         "click name", "click go", "click the menu", "open mail", "click from", "click welcome aboard",
         "click file type", "click untitled", "click calculator", "click the seven button", "press nine",
         "number five", "click three and four", "the third one", "double click desktop", "right click trash",
         "select light", "click the second checkbox", "open documents", "click the priority field"]
TEST = ["click settings", "click the cancel button", "open privacy", "click help", "click network",
        "click bold", "click italic", "open format", "click edit", "click window", "click print", "click refresh",
        "click archive", "click inbox", "click drafts", "open music", "click save", "click desktop",
        "double click music", "open home"]


def say(text: str, folder: Path, voice: str = VOICE, speed: int = 165) -> np.ndarray:
    """espeak-ng speech with silence around it and a quiet, seeded noise floor."""
    wav = folder / "raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), text], check=True)
    audio = np.concatenate([np.zeros(6400, np.int16), read_wav(wav), np.zeros(12800, np.int16)])
    noise = np.random.default_rng(len(text)).normal(0, 25, len(audio))
    return np.clip(audio + noise, -32768, 32767).astype(np.int16)


def hmm_dir() -> Path:
    from pocketsphinx import get_model_path

    return Path(get_model_path()) / "en-us" / "en-us"


# -- the model and its front end ---------------------------------------------------------------------
def test_model_files_are_read_as_pocketsphinx_has_them() -> None:
    model = load_model(hmm_dir())
    assert model.stream_sizes == stream_sizes(hmm_dir()) == (13, 13, 13)
    assert len(model.codebooks) == model.means[0].shape[0] == 42
    assert {"SIL", "AA", "ZH"} <= set(model.codebooks)
    # Quantised mixture weights still sum to about one per senone and stream.
    totals = np.exp(model.log_weights).sum(axis=1)
    assert totals.shape == (3, 5126) and 0.9 < totals.min() and totals.max() < 1.05
    assert all((v > 0).all() for v in model.variances)


def test_a_model_without_its_files_cannot_be_adapted(tmp_path: Path) -> None:
    with pytest.raises(AdaptationError, match="no means file"):
        load_model(tmp_path)
    for name in ("means", "variances", "sendump", "mdef"):
        (tmp_path / name).write_bytes(b"not a model")
    with pytest.raises(AdaptationError, match="could not be read"):
        load_model(tmp_path)
    with pytest.raises(AdaptationError, match="could not be read"):
        stream_sizes(tmp_path)


@needs_espeak
def test_front_end_features_are_the_decoders_own(tmp_path: Path) -> None:
    from pocketsphinx import Decoder

    samples = SphinxRecognizer().preprocess(say("click the cancel button", tmp_path))
    cepstra = FrontEnd(hmm_dir(), 80).cepstra(samples)
    model = hmm_dir().parent
    results = []
    for raw in (True, False):
        # A fresh decoder each time: its noise estimate carries over from one utterance to the next.
        decoder = Decoder(hmm=str(hmm_dir()), dict=str(model / "cmudict-en-us.dict"), lm=str(model / "en-us.lm.bin"),
                          samprate=16000, frate=80, loglevel="ERROR")
        decoder.start_utt()
        if raw:
            decoder.process_raw(samples.tobytes(), full_utt=True)
        else:
            decoder.process_cep(cepstra.astype(np.float32).tobytes(), full_utt=True)
        decoder.end_utt()
        results.append((decoder.hyp().hypstr, decoder.hyp().score, decoder.n_frames()))
    assert results[0] == results[1]  # same words, same score: the same features
    feats = features(cepstra)
    assert feats.shape == (len(cepstra), 39)
    assert abs(feats[:, :13][cepstra[:, 0] >= 0].mean(axis=0)).max() < 1e-6  # mean-normalised
    assert features(np.zeros((0, 13))).shape == (0, 39)


# -- transform files ------------------------------------------------------------------------------------
def random_transform(seed: int = 0) -> Transform:
    rng = np.random.default_rng(seed)
    return Transform(tuple(np.eye(13) + rng.normal(0, 0.05, (13, 13)) for _ in range(3)),
                     tuple(rng.normal(0, 0.3, 13) for _ in range(3)),
                     tuple(rng.uniform(0.5, 1.5, 13) for _ in range(3)))


def test_transform_round_trips_through_its_file(tmp_path: Path) -> None:
    t = random_transform()
    path = write_transform(tmp_path / "sub" / "voice.mllr", t)
    back = read_transform(path, (13, 13, 13))
    for a, b in zip(t.matrices + t.biases + t.scales, back.matrices + back.biases + back.scales):
        assert np.allclose(a, b, rtol=1e-7, atol=1e-9)
    lines = path.read_text().split("\n")
    assert lines[:3] == ["1", "3", "13"]  # one class, three streams, the first of length 13
    assert not (tmp_path / "sub" / "voice.mllr.tmp").exists()
    assert np.allclose(Transform.identity((2,)).apply(0, np.array([[1.0, 2.0]])), [[1.0, 2.0]])


@pytest.mark.parametrize("content, reason", [
    ("", "truncated"),
    ("1 3 13 0.5", "truncated"),
    ("hello world", "other than numbers"),
    ("2 1 1 1 0 1", "truncated"),          # two classes
    ("1 1 1 1 0 1 7", "truncated"),        # a value left over
    ("1 1 1 1 0 0", "not usable numbers"),  # a zero variance scale
    ("1 1 1 nan 0 1", "not usable numbers"),
])
def test_a_bad_transform_file_is_a_clear_error(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "bad.mllr"
    path.write_text(content)
    with pytest.raises(AdaptationError, match=reason) as err:
        read_transform(path)
    assert "adapt-voice" in err.value.hint


def test_a_transform_for_another_model_or_no_file_is_refused(tmp_path: Path) -> None:
    path = write_transform(tmp_path / "one.mllr", Transform.identity((13,)))
    with pytest.raises(AdaptationError, match="another model"):
        read_transform(path, (13, 13, 13))
    with pytest.raises(AdaptationError, match="not valid"):
        read_transform(tmp_path / "missing.mllr")
    with pytest.raises(AdaptationError, match="mismatched"):
        Transform((np.eye(2),), (np.zeros(3),), (np.ones(3),))


@needs_espeak
def test_recognizer_applies_a_transform_file_and_picks_up_changes(tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    audio = say("click the cancel button", tmp_path, voice="en-us+klatt")
    path = tmp_path / "voice.mllr"
    recognizer = SphinxRecognizer(transform=path)
    plain = recognizer.transcribe(audio, SCREEN)
    assert not recognizer.adapted  # no file yet
    write_transform(path, Transform.identity((13, 13, 13)))
    same = recognizer.transcribe(audio, SCREEN)
    assert recognizer.adapted and (same.text, same.score) == (plain.text, plain.score)  # identity changes nothing
    # A transform that scrambles every mean (dimensions reversed) is applied too: the speech no longer fits.
    same_sizes = Transform.identity((13, 13, 13))
    write_transform(path, Transform(tuple(np.eye(13)[::-1] for _ in range(3)), same_sizes.biases, same_sizes.scales))
    os.utime(path, ns=(1, 1))  # a changed file, even within the same clock tick
    moved = recognizer.transcribe(audio, SCREEN)
    assert recognizer.adapted and moved.score < plain.score
    path.write_text("1 3 13 garbage")
    with caplog.at_level(logging.WARNING, logger="desktop.speech.sphinx"):
        broken = recognizer.transcribe(audio, SCREEN)
    assert not recognizer.adapted and (broken.text, broken.score) == (plain.text, plain.score)
    assert any("not using the voice adaptation" in r.getMessage() for r in caplog.records)


# -- adaptation -------------------------------------------------------------------------------------------
def test_words_are_normalised_for_the_aligner() -> None:
    assert normalise_words("Double-click the Save button!") == "double click the save button"
    assert normalise_words("click 2 and 4") == "click two and four"
    assert normalise_words("  ...  ") == ""


def test_too_few_recordings_is_a_clear_error(tmp_path: Path) -> None:
    samples = [(np.zeros(16000, np.int16), "click save")] * 3 + [(np.zeros(16000, np.int16), "!!")]
    with pytest.raises(AdaptationError) as err:
        adapt_voice(samples, tmp_path / "v.mllr")
    assert "Only 3 of 4 recordings could be used" in err.value.user_message
    assert str(MIN_SAMPLES) in err.value.user_message and "Settings" in err.value.hint
    assert not (tmp_path / "v.mllr").exists()


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list, list]]:
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng to synthesise speech")
    folder = tmp_path_factory.mktemp("voice")
    store = SampleStore(folder / "samples")
    for text in ADAPT:
        store.add(say(text, folder), text)
    yield folder, store.load(), [(say(t, folder), t) for t in TEST]


def heard(recognizer: SphinxRecognizer, tests: list) -> tuple[int, float]:
    """(commands heard right, mean grammar score per frame) over ``tests``."""
    results = [recognizer.transcribe(audio, SCREEN) for audio, _ in tests]
    right = sum(normalise_words(r.text) == normalise_words(t) for r, (_, t) in zip(results, tests))
    return right, float(np.mean([r.score for r in results if math.isfinite(r.score)]))


# -- the held-out check ---------------------------------------------------------------------------------
def test_word_errors_count_substitutions_insertions_and_deletions() -> None:
    assert word_errors("click the save button", "click the save button") == 0
    assert word_errors("click the save button", "click save button") == 1
    assert word_errors("click save", "click the safe") == 2
    assert word_errors("click save", "") == 2 and word_errors("", "click") == 1


def test_recordings_are_split_into_interleaved_parts() -> None:
    assert folds(10) == [[0, 4, 8], [1, 5, 9], [2, 6], [3, 7]]
    assert folds(2) == [[0], [1]]  # no empty parts
    parts = folds(37)
    assert sorted(i for p in parts for i in p) == list(range(37)) and parts == folds(37)


def test_the_check_says_yes_only_for_fewer_word_errors() -> None:
    better = compare([2, 0, 1, 0], [0, 0, 1, 1], 10, 4)
    assert (better.before, better.after, better.better, better.worse) == (3, 2, 1, 1) and better.helps
    assert better.reason().startswith("It helped: word errors on 4 commands")
    tie = compare([1, 0], [0, 1], 4, 2)
    assert not tie.helps and tie.reason().startswith("It did not help")
    worse = compare([1, 0], [1, 2], 4, 2)
    assert not worse.helps and worse.reason().startswith("It made recognition worse")
    perfect = compare([0, 0], [0, 0], 4, 2)
    assert not perfect.helps and "already heard without errors" in perfect.reason()
    assert worse.to_dict() == {"utterances": 2, "words": 4, "errors_before": 1, "errors_after": 3, "better": 0,
                               "worse": 1, "folds": 2, "helps": False}


def test_what_an_adaptation_report_tells_the_person(tmp_path: Path) -> None:
    from desktop.speech.cli import adapted_message

    check = HeldOutCheck(30, 82, 31, 5, 13, 0, 4)
    installed = AdaptationReport(tmp_path / "a.mllr", 30, 2, 6000, 9.0, True, check)
    assert adapted_message(installed) == ("Adapted to your voice from 30 recordings (2 could not be used). It helped: "
                                          "word errors on 30 commands it was not estimated from: 31 without it, "
                                          "5 with it. Speech input uses it from the next command.")
    no_gain = HeldOutCheck(30, 82, 3, 3, 1, 1, 4)
    refused = AdaptationReport(tmp_path / "a.mllr", 30, 0, 6000, 9.0, False, no_gain)
    assert adapted_message(refused).endswith("3 with it. The original model stays in use.")
    (tmp_path / "a.mllr").write_text("1")
    assert adapted_message(refused).endswith("The current adaptation stays.")
    forced = AdaptationReport(tmp_path / "a.mllr", 30, 0, 6000, 9.0, True, no_gain)
    assert "Installed although the check found no gain (--force)" in adapted_message(forced)


@pytest.mark.slow
def test_adapting_to_a_voice_improves_recognition_of_other_commands(spoken: tuple[Path, list, list]) -> None:
    folder, samples, tests = spoken
    report = adapt_voice(samples, folder / "voice.mllr")
    assert (report.used, report.skipped) == (len(ADAPT), 0) and report.frames > 20 * len(ADAPT)
    # Installed because it helped on the commands held out from each estimate (31 -> 5 word errors when written).
    check = report.check
    assert report.installed and check is not None and check.helps and check.utterances == len(ADAPT)
    assert check.after < check.before / 2 and check.folds == 4
    transform = read_transform(report.path, (13, 13, 13))
    assert not np.allclose(transform.biases[0], 0)  # it moved something
    before_right, before_score = heard(SphinxRecognizer(), tests)
    after_right, after_score = heard(SphinxRecognizer(transform=report.path), tests)
    assert after_score > before_score  # the speech fits the adapted model better
    assert after_right > before_right, (before_right, after_right)


@pytest.mark.slow
def test_adapt_voice_command(spoken: tuple[Path, list, list], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli import main
    from desktop.speech.samples import transform_path

    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path / "config"))
    folder = spoken[0]
    assert main(["adapt-voice", "--json"]) == 2  # nothing kept yet
    captured = capsys.readouterr()
    assert json.loads(captured.out)["error"]["code"] == "voice_adaptation"
    assert "Only 0 of 0 recordings" in captured.err
    assert main(["adapt-voice", "--samples", str(folder / "samples")]) == 0
    assert "Adapted to your voice from 30 recordings" in capsys.readouterr().out
    assert read_transform(transform_path(), (13, 13, 13))
    assert main(["adapt-voice", "--reset", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["removed"] is True
    assert not transform_path().exists()
    assert main(["adapt-voice", "--reset"]) == 0
    assert capsys.readouterr().out.strip() == "There was no voice adaptation."
    kept = SampleStore(tmp_path / "config" / "voice" / "samples")
    kept.add(np.ones(8000, np.int16), "click save")
    assert main(["adapt-voice", "--forget"]) == 0
    assert "Deleted 1 kept recordings" in capsys.readouterr().out and kept.samples() == []


@pytest.mark.slow
@needs_espeak
def test_an_adaptation_that_does_not_help_is_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Recordings kept with the wrong words (each one with its neighbour's): the check refuses, the old file stays."""
    from desktop.cli import main
    from desktop.speech.samples import transform_path

    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path / "config"))
    store = SampleStore(tmp_path / "samples")
    # Wrong words line up with the audio only now and then: twice over, so that 20 or more do (and
    # each time with other wrong words, so the mislabelling cannot be learned as if it were a voice).
    for shift, speed in ((1, 165), (2, 150)):
        for i, text in enumerate(ADAPT):
            store.add(say(ADAPT[i - shift], tmp_path, voice="en-us+klatt", speed=speed), text)
    old = write_transform(transform_path(), random_transform())
    before = old.read_bytes()
    assert main(["adapt-voice", "--samples", str(tmp_path / "samples"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["installed"] is False and result["check"]["helps"] is False
    assert result["check"]["utterances"] == 2 * len(ADAPT) and result["check"]["errors_after"] >= \
        result["check"]["errors_before"] > 0
    assert result["reason"].startswith(("It did not help", "It made recognition worse"))
    assert old.read_bytes() == before
    # --force installs it all the same, and still reports the check.
    assert main(["adapt-voice", "--samples", str(tmp_path / "samples"), "--force"]) == 0
    said = capsys.readouterr().out
    assert "Installed although the check found no gain (--force)" in said and old.read_bytes() != before
    assert read_transform(old, (13, 13, 13))


def test_the_apps_recognizer_uses_the_persons_adaptation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core.settings import Settings
    from desktop.speech import make_recognizer

    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path))
    recognizer = make_recognizer(Settings())
    assert isinstance(recognizer, SphinxRecognizer)
    assert recognizer.transform == tmp_path / "voice" / "adaptation.mllr"
