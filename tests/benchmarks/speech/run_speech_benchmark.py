"""The speech benchmark: synthesised utterances through the app's listening and recognition path.

    python -m tests.benchmarks.speech.synthesize --set all
    python -m tests.benchmarks.speech.run_speech_benchmark [--set klatt|default] [--fast]

Each WAV is played in real time through the same :class:`VoiceSession` the
app uses (voice activity detection, early recognition at the first pause,
pocketsphinx with the screen grammar); only the microphone is replaced by
the file. The screen vocabulary comes from the grounding engine reading the
benchmark screenshot, as in the app. ``--fast`` skips real-time playback
(latencies are then not measured); recognition started at a pause is then
waited for at the end of speech, as if it had finished within the
endpointer's quiet time, so the results do not depend on thread timing.

The recognizer learns the speaker's vocal tract length warp from each
request (:mod:`desktop.speech.warp`), so every voice gets its own
recognizer and session, as if each were a different person using the app
(``--warps 1`` turns warping off); each request waits for the learning from
the one before it, so results do not depend on timing.

Writes ``tests/benchmarks/out/speech/report_<set>.json`` and ``.md``:
intent accuracy (the parsed intent of what was heard equals that of what
was said), word error rate, out-of-grammar rejection, and latency from the
end of speech to text (p50/p95).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from desktop.core.parser import parse_instruction  # noqa: E402
from desktop.core.voice_commands import overlay_action  # noqa: E402
from desktop.speech.warp import WARPS  # noqa: E402
from tests.benchmarks.speech.synthesize import OUT, load_utterances  # noqa: E402

SCREENS = ROOT / "tests" / "benchmarks" / "data"
_SPELLINGS = {"check box": "checkbox", "check boxes": "checkboxes", "double-click": "double click",
              "right-click": "right click"}


def normalise(text: str) -> str:
    t = " ".join(text.lower().replace("-", " ").split())
    for a, b in _SPELLINGS.items():
        t = t.replace(a, b)
    return t


def intent_key(text: str) -> Any:
    try:
        intent = parse_instruction(normalise(text))
    except Exception:
        return None
    return tuple((s.action, s.target, s.roles, s.select_all, s.count, s.ordinal, s.relation) for s in intent.steps)


def word_errors(ref: str, hyp: str) -> tuple[int, int]:
    """(edit distance in words, reference length)."""
    r, h = normalise(ref).split(), normalise(hyp).split()
    d = list(range(len(h) + 1))
    for i, rw in enumerate(r, 1):
        prev, d[0] = d[0], i
        for j, hw in enumerate(h, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (rw != hw))
    return d[len(h)], len(r)


def screen_vocabulary(screens: set[str]) -> dict[str, list[str]]:
    """What the engine reads on each screen (cached in out/speech/vocabulary.json)."""
    cache = OUT / "vocabulary.json"
    known: dict[str, list[str]] = json.loads(cache.read_text()) if cache.exists() else {}
    missing = sorted(s for s in screens if s not in known)
    if missing:
        from desktop.core.sources import Screen
        from desktop.core.images import load_image
        from desktop.grounding.engine import Engine

        engine = Engine()
        intent = parse_instruction("click OK")
        for name in missing:
            path = SCREENS / name
            if not path.exists():
                raise SystemExit(f"{path} is missing: generate the screens with python -m tests.benchmarks.make_all")
            found = engine.candidates(Screen(load_image(str(path))), intent, stage=1)
            known[name] = sorted({c.text for c in found if c.text})
        cache.write_text(json.dumps(known, indent=1))
    return known


def percentile(values: list[float], q: float) -> float:
    v = sorted(x for x in values if not math.isnan(x))
    if not v:
        return float("nan")
    k = (len(v) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def run_case(session: Any, row: dict, meta: dict, vocab: dict[str, list[str]], audio_dir: Path,
             fast: bool) -> dict:
    from desktop.speech.capture import WavSource

    source = WavSource(audio_dir / meta["wav"], realtime=not fast)
    overlay = row.get("targets") if row["kind"] == "overlay" else None
    texts = vocab.get(row.get("screen") or "", [])
    try:
        heard = session.listen(texts, overlay_targets=overlay, source=source)
    except Exception as exc:  # a miss, not a crash of the benchmark
        return {**row, **meta, "heard": "", "error": str(exc), "correct": False}
    finally:
        session.settle()
    t = heard.transcript
    if row["kind"] == "overlay":
        correct = overlay_action(t.text, overlay) == overlay_action(row["text"], overlay)
    elif row["kind"] == "command":
        correct = intent_key(t.text) == intent_key(row["text"])
    else:
        correct = not t.fits  # out of grammar: should fall back
    errors, words = word_errors(row["text"], t.text)
    # From where the speech really ends in the file (not where the detector noticed it).
    ready = heard.utterance.speech_ended_at + heard.latency_ms / 1000
    true_end = source._t0 + (meta.get("speech_end_s") or 0.0)
    # What the grammar heard even when it was judged not to fit: a fit threshold can be studied offline.
    if row["kind"] == "overlay":
        grammar_correct = overlay_action(t.heard, overlay) == overlay_action(row["text"], overlay)
    else:
        grammar_correct = row["kind"] == "command" and intent_key(t.heard) == intent_key(row["text"])
    return {**row, **meta, "heard": t.text, "grammar": t.grammar, "fits": t.fits, "score": t.score,
            "grammar_heard": t.heard, "grammar_correct": grammar_correct,
            "correct": correct, "word_errors": errors, "words": words, "recognise_ms": t.elapsed_ms,
            "latency_ms": heard.latency_ms, "latency_true_end_ms": (ready - true_end) * 1000,
            "early": heard.early, "ended_by": heard.utterance.ended_by, "warp": t.warp}


def summarise(results: list[dict]) -> dict:
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        by_kind[r["kind"]].append(r)
    grammar = by_kind["command"] + by_kind["overlay"]
    out: dict[str, Any] = {
        "utterances": len(results),
        "intent_accuracy": sum(r["correct"] for r in grammar) / max(1, len(grammar)),
        "command_accuracy": sum(r["correct"] for r in by_kind["command"]) / max(1, len(by_kind["command"])),
        "overlay_accuracy": sum(r["correct"] for r in by_kind["overlay"]) / max(1, len(by_kind["overlay"])),
        "out_of_grammar_rejected": sum(r["correct"] for r in by_kind["out_of_grammar"])
        / max(1, len(by_kind["out_of_grammar"])),
        "wer": sum(r.get("word_errors", 0) for r in grammar) / max(1, sum(r.get("words", 0) for r in grammar)),
    }
    lat = [r["latency_ms"] for r in grammar if "latency_ms" in r]
    rec = [r["recognise_ms"] for r in grammar if "recognise_ms" in r]
    true = [r["latency_true_end_ms"] for r in grammar if "latency_true_end_ms" in r]
    out.update(latency_p50_ms=percentile(lat, 0.5), latency_p95_ms=percentile(lat, 0.95),
               latency_from_true_end_p50_ms=percentile(true, 0.5),
               latency_from_true_end_p95_ms=percentile(true, 0.95),
               recognise_p50_ms=percentile(rec, 0.5), recognise_p95_ms=percentile(rec, 0.95))
    for field in ("voice", "noise"):
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in grammar:
            groups[str(r.get(field))].append(r)
        out[f"accuracy_by_{field}"] = {k: round(sum(r["correct"] for r in v) / len(v), 3)
                                       for k, v in sorted(groups.items())}
    # The warp each voice's recognizer had settled on by its last request.
    out["warp_by_voice"] = {r["voice"]: r["warp"] for r in results if "warp" in r}
    return out


def write_report(name: str, summary: dict, results: list[dict]) -> Path:
    (OUT / f"report_{name}.json").write_text(json.dumps({"summary": summary, "results": results}, indent=1))
    lines = [f"# Speech benchmark ({name} voices)", "", "| metric | value |", "|---|---|"]
    for k, v in summary.items():
        if not isinstance(v, dict):
            lines.append(f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |")
    for k, v in summary.items():
        if isinstance(v, dict):
            form = "{:.2f}" if k == "warp_by_voice" else "{:.1%}"
            lines += ["", f"## {k}", ""] + [f"- {g}: {form.format(a)}" for g, a in v.items()]
    lines += ["", "## Misses", ""]
    lines += [f"- `{r['id']}` ({r['voice']}, {r['speed']} wpm, {r['noise'] or 'quiet'}): said "
              f"\u201c{r['text']}\u201d, heard \u201c{r['heard']}\u201d ({r.get('grammar', r.get('error'))})"
              for r in results if not r["correct"]]
    path = OUT / f"report_{name}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def _value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="klatt")
    parser.add_argument("--fast", action="store_true", help="no real-time playback (no latency numbers)")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                        help="a pocketsphinx setting to try (lw=10, wip=0.2)")
    parser.add_argument("--warps", default=",".join(map(str, WARPS)),
                        help="candidate vocal tract length warp factors (1 = no warping)")
    parser.add_argument("--adapt", action="store_true",
                        help="also adapt to each voice from adaptation.jsonl and score it again (see adapted.py)")
    args = parser.parse_args(argv)
    from desktop.speech.session import VoiceSession
    from desktop.speech.sphinx import SphinxRecognizer

    audio_dir = OUT / args.set
    manifest = {m["id"]: m for m in (json.loads(x) for x in (audio_dir / "manifest.jsonl").read_text().splitlines())}
    rows = load_utterances()[: args.limit or None]
    vocab = screen_vocabulary({r["screen"] for r in rows if r.get("screen")})
    options = {k: _value(v) for k, v in (o.split("=", 1) for o in args.option)}
    warps = tuple(float(w) for w in args.warps.split(","))
    sessions: dict[str, VoiceSession] = {}

    def session_for(voice: str) -> VoiceSession:
        # One person per voice: what the recognizer learns of a voice stays with it.
        if voice not in sessions:
            recognizer = SphinxRecognizer(options=options, warps=warps)
            recognizer.warm_up()
            sessions[voice] = VoiceSession(recognizer, wait_for_early=args.fast)
        return sessions[voice]

    for voice in dict.fromkeys(manifest[r["id"]]["voice"] for r in rows):
        session_for(voice)
    start = time.perf_counter()
    results = [run_case(session_for(manifest[row["id"]]["voice"]), row, manifest[row["id"]], vocab, audio_dir,
                        args.fast) for row in rows]
    summary = summarise(results)
    summary["wall_s"] = round(time.perf_counter() - start, 1)
    report = write_report(args.set, summary, results)
    print(json.dumps({k: v for k, v in summary.items() if not isinstance(v, dict)}, indent=1))
    print(f"report: {report}")
    if args.adapt:
        from tests.benchmarks.speech.adapted import run_adapted, write_adapted_report

        def score(transform: Path, subset: list[dict]) -> list[dict]:
            adapted = SphinxRecognizer(options=options, transform=transform)
            adapted.warm_up()
            voice = VoiceSession(adapted, wait_for_early=args.fast)
            return [run_case(voice, row, manifest[row["id"]], vocab, audio_dir, args.fast) for row in subset]

        per_voice, adapted, checked = run_adapted(args.set, rows, manifest, results, score)
        report = write_adapted_report(args.set, per_voice, (summary, results), (summarise(adapted), adapted),
                                      summarise(checked))
        print(f"report: {report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
