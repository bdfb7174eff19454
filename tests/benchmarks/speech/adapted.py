"""The speech benchmark's "adapted" measurement: each voice adapted from 40 other commands, then scored.

For every voice of a set, the 40 commands of ``adaptation.jsonl`` (none of
them a benchmark utterance) are synthesised in that voice, at the set's
speeds, pitches and noises, and the recognizer is adapted from them as
``click-assist adapt-voice`` would (:func:`desktop.speech.adapt.adapt_voice`).
That voice's benchmark utterances are then recognised with and without the
adaptation, through the same session as the plain benchmark.

Two adapted figures are reported: "always" (the transform is used whatever
happens) and "checked" (what the app installs: the transform only when the
held-out check of :mod:`desktop.speech.adapt_check` says it helps, else the
plain model's results for that voice).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, Callable

from tests.benchmarks.speech.synthesize import (HERE, OUT, SET_PITCHES, SET_SPEEDS, SPEEDS, VOICE_SETS,
                                                load_utterances, synthesise_one)

ADAPTATION = HERE / "adaptation.jsonl"


def adaptation_audio(set_name: str, voice: str) -> tuple[Path, list[dict]]:
    """The adaptation commands in ``voice`` (synthesised once, then reused): folder and manifest."""
    rows = load_utterances(ADAPTATION)
    folder = OUT / f"{set_name}_adapt" / voice.replace("+", "_")
    manifest = folder / "manifest.jsonl"
    if manifest.exists():
        known = [json.loads(x) for x in manifest.read_text().splitlines()]
        if [m["id"] for m in known] == [r["id"] for r in rows] and all(m.get("text") == r["text"]
                                                                        for m, r in zip(known, rows)):
            return folder, known
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # Offset by one so that speed, pitch and noise do not repeat the benchmark's own pattern.
        made = [{**synthesise_one(r, i + 1, (voice,), folder, Path(tmp), SET_SPEEDS.get(set_name, SPEEDS),
                                  SET_PITCHES.get(set_name, (50,))), "text": r["text"]} for i, r in enumerate(rows)]
    manifest.write_text("".join(json.dumps(m) + "\n" for m in made))
    return folder, made


def adapt_for(set_name: str, voice: str) -> tuple[Path, Any]:
    """Adapt to ``voice`` from its adaptation commands; the transform file and the report."""
    from desktop.speech.adapt import adapt_voice
    from desktop.speech.audio import read_wav

    folder, made = adaptation_audio(set_name, voice)
    # force: the transform is written whatever the check says, so both figures come from one estimate.
    report = adapt_voice([(read_wav(folder / m["wav"]), m["text"]) for m in made], folder / "adaptation.mllr",
                         force=True)
    return report.path, report


def run_adapted(set_name: str, rows: list[dict], manifest: dict[str, dict], plain: list[dict],
                score: Callable[[Path, list[dict]], list[dict]]) -> tuple[dict, list[dict], list[dict]]:
    """Per voice: adapt, then score its rows with ``score(transform_file, rows)``.

    Returns per-voice accuracies, the results always adapted, and the results
    with the check (adapted only for the voices whose check said it helps).
    """
    voices = [v for v in VOICE_SETS[set_name] if any(manifest[r["id"]]["voice"] == v for r in rows)]
    results: list[dict] = []
    checked: list[dict] = []
    per_voice: dict[str, dict] = {}
    for voice in voices:
        mine = [r for r in rows if manifest[r["id"]]["voice"] == voice]
        path, report = adapt_for(set_name, voice)
        scored = score(path, mine)
        results += scored
        before = [r for r in plain if r["voice"] == voice]
        installed = report.check is None or report.check.helps
        checked += scored if installed else before
        per_voice[voice] = {"before": _accuracy(before), "after": _accuracy(scored),
                            "checked": _accuracy(scored if installed else before), "installed": installed,
                            "check": report.check.to_dict() if report.check else None,
                            "utterances": sum(r["kind"] != "out_of_grammar" for r in scored),
                            "adapted_from": report.used, "adapt_s": round(report.elapsed_s, 1)}
        print(f"{voice}: {per_voice[voice]['before']:.3f} -> {per_voice[voice]['after']:.3f} "
              f"(check {'installs' if installed else 'refuses'}: {report.check})", flush=True)
    return per_voice, results, checked


def _accuracy(results: list[dict]) -> float:
    grammar = [r for r in results if r["kind"] != "out_of_grammar"]
    return sum(r["correct"] for r in grammar) / max(1, len(grammar))


def write_adapted_report(set_name: str, per_voice: dict, plain: tuple[dict, list[dict]],
                         adapted: tuple[dict, list[dict]], checked: dict | None = None) -> Path:
    """``report_<set>_adapted.json`` and ``.md``: per voice, intent accuracy before and after adapting.

    ``plain`` and ``adapted`` are (summary, results) of the two runs;
    ``checked`` the summary with the held-out check deciding per voice.
    """
    (plain_summary, plain_results), (adapted_summary, adapted_results) = plain, adapted
    (OUT / f"report_{set_name}_adapted.json").write_text(json.dumps(
        {"per_voice": per_voice, "plain": plain_summary, "adapted": adapted_summary, "checked": checked,
         "results": adapted_results}, indent=1))
    lines = [f"# Speech benchmark ({set_name} voices), adapted to each voice", "",
             "Each voice adapted from the 40 commands of `adaptation.jsonl` in that voice, then scored on "
             "its own benchmark utterances. \"With the check\": adapted only when the held-out check "
             "(word errors on the 40 commands, 4 parts) says it helps.", "",
             "| voice | utterances | intent before | always adapted | with the check | held-out word errors |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {v} | {p['utterances']} | {p['before']:.1%} | {p['after']:.1%} | {p['checked']:.1%}"
              f"{'' if p['installed'] else ' (not installed)'} | "
              f"{_check_cell(p.get('check'))} |" for v, p in per_voice.items()]
    total = checked["intent_accuracy"] if checked else float("nan")
    lines += [f"| **all** | {sum(p['utterances'] for p in per_voice.values())} | "
              f"{plain_summary['intent_accuracy']:.1%} | {adapted_summary['intent_accuracy']:.1%} | "
              f"{total:.1%} | |", ""]
    for key in ("wer", "out_of_grammar_rejected", "latency_p50_ms", "latency_p95_ms"):
        lines.append(f"- {key}: {plain_summary[key]:.3f} → {adapted_summary[key]:.3f}")
    before = {r["id"]: r for r in plain_results}
    for title, changed in (("Heard right only after adapting", lambda b, a: a and not b),
                           ("Heard right only before adapting", lambda b, a: b and not a)):
        lines += ["", f"## {title}", ""]
        lines += [f"- `{r['id']}` ({r['voice']}): said \u201c{r['text']}\u201d, heard \u201c{before[r['id']]['heard']}"
                  f"\u201d before, \u201c{r['heard']}\u201d after" for r in adapted_results
                  if r["id"] in before and changed(before[r["id"]]["correct"], r["correct"])]
    path = OUT / f"report_{set_name}_adapted.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def _check_cell(check: dict | None) -> str:
    return f"{check['errors_before']} → {check['errors_after']}" if check else "–"
