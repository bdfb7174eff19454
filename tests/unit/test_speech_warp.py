"""Vocal tract length normalisation: the running choice of warp factor, and pocketsphinx decoding with it."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from desktop.speech.warp import SCORE_FLOOR, WARPS, WarpTracker


def test_no_warp_until_a_request_says_otherwise() -> None:
    tracker = WarpTracker((1.0, 1.08, 1.16))
    assert tracker.current == 1.0 and tracker.observations == 0 and tracker.gain == 0.0
    assert tracker.observe({1.0: -0.0040, 1.08: -0.0035, 1.16: -0.0038}) == 1.08
    assert tracker.gain == pytest.approx(0.0005)


def test_the_choice_follows_the_mean_over_recent_requests() -> None:
    tracker = WarpTracker((1.0, 1.08, 1.16), window=3)
    tracker.observe({1.0: -0.0040, 1.08: -0.0039, 1.16: -0.0030})
    # One request that prefers no warp does not outweigh a clear earlier preference ...
    assert tracker.observe({1.0: -0.0040, 1.08: -0.0041, 1.16: -0.0045}) == 1.16
    # ... but a window of them does, and the first request falls out of it.
    tracker.observe({1.0: -0.0040, 1.08: -0.0041, 1.16: -0.0045})
    assert tracker.observe({1.0: -0.0040, 1.08: -0.0041, 1.16: -0.0045}) == 1.0


def test_ties_keep_no_warp_and_bad_scores_count_as_the_floor() -> None:
    tracker = WarpTracker((0.92, 1.0, 1.08))
    assert tracker.observe({0.92: -0.004, 1.0: -0.004, 1.08: -0.004}) == 1.0
    tracker.reset()
    # No path at all (-inf), NaN or a missing factor are each only as bad as the floor:
    # one failed decode cannot outweigh the window.
    assert tracker.observe({0.92: float("-inf"), 1.0: -0.02, 1.08: float("nan")}) == 1.0
    tracker.observe({0.92: SCORE_FLOOR, 1.0: -0.0040})
    assert tracker.observe({0.92: -0.0030, 1.0: -0.0040, 1.08: -0.0045}) == 1.0
    tracker.reset()
    assert (tracker.current, tracker.observations) == (1.0, 0)


@pytest.mark.parametrize("warps, window", [((1.08, 1.16), 20), ((1.0, -1.0), 20), ((1.0, math.nan), 20),
                                           ((1.0, 1.08), 0)])
def test_bad_settings_are_refused(warps: tuple[float, ...], window: int) -> None:
    with pytest.raises(ValueError):
        WarpTracker(warps, window=window)


def test_the_default_candidates_include_no_warp() -> None:
    assert 1.0 in WARPS and WarpTracker().current == 1.0



def test_the_recent_scores_are_kept_and_taken_up_again(tmp_path: Path) -> None:
    kept = tmp_path / "voice" / "warp.json"
    tracker = WarpTracker()
    for _ in range(3):
        tracker.observe({1.0: -0.004, 1.08: -0.003, 1.16: -0.002})
    tracker.save(kept)
    again = WarpTracker()
    assert again.restore(kept) and (again.current, again.observations) == (1.16, 3)
    assert "click" not in kept.read_text()  # numbers only


@pytest.mark.parametrize("text", ["", "{not json", '{"warps": [1.0, 1.1], "recent": [[-0.1, -0.2]]}',
                                  '{"warps": [1.0, 1.08, 1.16], "recent": [[-0.1]]}',
                                  '{"warps": [1.0, 1.08, 1.16], "recent": []}', '{"recent": 3}'])
def test_a_kept_file_that_does_not_fit_is_ignored(tmp_path: Path, text: str) -> None:
    kept = tmp_path / "warp.json"
    kept.write_text(text)
    tracker = WarpTracker()
    assert not tracker.restore(kept) and (tracker.current, tracker.observations) == (1.0, 0)
    assert not WarpTracker().restore(tmp_path / "missing.json")


def test_saving_where_nothing_can_be_written_does_not_stop_speech(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    WarpTracker().save(blocker / "warp.json")  # its folder is a file: logged, not raised
    assert not (blocker.parent / "warp.json.tmp").exists()


def test_a_recognizer_starts_with_the_warp_its_last_session_learned(tmp_path: Path) -> None:
    from desktop.speech.sphinx import SphinxRecognizer

    kept = tmp_path / "warp.json"
    learned = WarpTracker()
    learned.observe({1.0: -0.005, 1.08: -0.004, 1.16: -0.003})
    learned.save(kept)
    assert SphinxRecognizer(warp_file=kept).warp == 1.16
    assert SphinxRecognizer(warp_file=tmp_path / "none.json").warp == 1.0
    assert SphinxRecognizer(warps=None, warp_file=kept).warp == 1.0  # warping off: nothing taken up

# -- with the real recognizer ------------------------------------------------------------------

@pytest.fixture(scope="module")
def female(tmp_path_factory: pytest.TempPathFactory) -> dict[str, np.ndarray]:
    """A few commands in espeak-ng's en-us+f3 voice (a shorter vocal tract than the model's average)."""
    pytest.importorskip("pocketsphinx")
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng to synthesise speech")
    from tests.unit.test_speech_recognize import say

    tmp = tmp_path_factory.mktemp("f3")
    texts = ("click save", "open settings", "click help", "click cancel")
    said = {t: say(t, tmp, voice="en-us+f3", speed=150) for t in texts}
    # The one the unwarped model mishears ("redo below add") and either warp hears right.
    said["click zorblat"] = say("click zorblat", tmp, voice="en-us+f3", speed=175)
    return said


@pytest.mark.slow
def test_a_recognizer_learns_to_warp_for_a_female_voice_and_then_hears_her(female: dict[str, np.ndarray],
                                                                           tmp_path: Path) -> None:
    from desktop.speech.sphinx import SphinxRecognizer
    from tests.unit.test_speech_recognize import SCREEN

    target = female["click zorblat"]
    plain = SphinxRecognizer(warps=None)
    assert plain.transcribe(target, SCREEN).text != "click Zorblat"  # what this guards against

    kept = tmp_path / "warp.json"
    recognizer = SphinxRecognizer(warp_file=kept)
    for text in ("click save", "open settings", "click help", "click cancel"):
        recognizer.learn_voice(female[text], SCREEN)
    assert recognizer.warp_tracker.observations == 4
    assert recognizer.warp > 1.0
    heard = recognizer.transcribe(target, SCREEN)
    assert (heard.text, heard.warp) == ("click Zorblat", recognizer.warp)
    # The next start hears her at once.
    assert SphinxRecognizer(warp_file=kept).transcribe(target, SCREEN).text == "click Zorblat"


@pytest.mark.slow
def test_decoding_does_not_depend_on_what_was_decoded_before(female: dict[str, np.ndarray]) -> None:
    from desktop.speech.sphinx import SphinxRecognizer
    from tests.unit.test_speech_recognize import SCREEN

    recognizer = SphinxRecognizer(warps=None)
    first = recognizer.transcribe(female["click save"], SCREEN)
    recognizer.transcribe(female["open settings"], SCREEN)
    recognizer.transcribe(female["click save"], SCREEN)
    again = recognizer.transcribe(female["click save"], SCREEN)
    assert (again.heard, again.score) == (first.heard, first.score)


@pytest.mark.slow
def test_learning_gives_way_to_a_request_and_skips_an_adapted_voice(female: dict[str, np.ndarray],
                                                                    tmp_path: Path) -> None:
    from desktop.speech.mllr import Transform, write_transform
    from desktop.speech.sphinx import SphinxRecognizer
    from desktop.speech.sphinx_model import stream_sizes
    from tests.unit.test_speech_recognize import SCREEN

    recognizer = SphinxRecognizer()
    assert recognizer.learn_voice(np.zeros(0, np.int16), SCREEN) is None  # no path: nothing learned
    assert recognizer.warp_tracker.observations == 0
    recognizer._waiting = 1  # a request is waiting for the recognizer
    assert recognizer.learn_voice(female["click save"], SCREEN) is None
    assert recognizer.warp_tracker.observations == 0

    # An adaptation was estimated on unwarped features: with one, nothing is warped or learned.
    from pocketsphinx import get_model_path

    hmm = Path(get_model_path()) / "en-us" / "en-us"
    path = write_transform(tmp_path / "mllr_matrix", Transform.identity(stream_sizes(hmm)))
    adapted = SphinxRecognizer(transform=path)
    adapted.warp_tracker.observe({1.0: -0.005, 1.08: -0.003, 1.16: -0.004})
    assert adapted.learn_voice(female["click save"], SCREEN) is None
    assert adapted.warp == 1.0 and adapted.transcribe(female["click save"], SCREEN).warp == 1.0


@pytest.mark.slow
def test_a_session_lets_the_recognizer_learn_after_each_request(female: dict[str, np.ndarray]) -> None:
    from desktop.speech.capture import ArraySource
    from desktop.speech.session import VoiceSession
    from desktop.speech.sphinx import SphinxRecognizer
    from tests.unit.test_speech_recognize import SCREEN

    recognizer = SphinxRecognizer()
    session = VoiceSession(recognizer)
    heard = session.listen(SCREEN, source=ArraySource(female["click save"]))
    assert heard.text == "click Save"
    assert session.settle(timeout=30)
    assert recognizer.warp_tracker.observations == 1


@pytest.mark.slow
def test_a_second_recognizer_leaves_the_first_ones_warp_alone(female: dict[str, np.ndarray], tmp_path: Path) -> None:
    # pocketsphinx keeps the warp process-wide: an unwarped decoder built or run in between used to
    # leave the warped one decoding unwarped (it heard "click remember in redo" for "click remember me").
    from desktop.speech.sphinx import SphinxRecognizer
    from tests.unit.test_speech_recognize import SCREEN

    kept = tmp_path / "warp.json"
    tracker = WarpTracker()
    tracker.observe({1.0: -0.005, 1.08: -0.004, 1.16: -0.003})
    tracker.save(kept)
    target = female["click zorblat"]
    warped = SphinxRecognizer(warp_file=kept)
    assert warped.transcribe(target, SCREEN).text == "click Zorblat"
    plain = SphinxRecognizer(warps=None)
    assert plain.transcribe(target, SCREEN).text != "click Zorblat"
    assert warped.transcribe(target, SCREEN).text == "click Zorblat"
