"""Drives IDLE (Python's own Tk editor) through its screens and reports each one's widgets as JSON.

Run by :mod:`tests.benchmarks.real_apps_tk` on a private Xvfb display, as
its own process: ``python -m tests.benchmarks._tk_idle_driver WORKDIR``.
Tk has no accessibility tree on Linux, so the truth comes from Tk itself:
every mapped widget's class, text, state and place on the screen. For each
screen the driver writes ``WORKDIR/<n>.json`` and waits until the harness,
having taken the screenshot, creates ``WORKDIR/<n>.done``.

Only tkinter and idlelib are imported here (no project code): the program
under test is IDLE as anyone runs it.
"""

from __future__ import annotations

import json
import sys
import time
import tkinter as tk
import tkinter.font as tkfont
from pathlib import Path
from typing import Any, Callable

#: Tk widget classes (classic and themed) → neutral roles the benchmark knows.
_ROLES = {"Button": "button", "TButton": "button", "Checkbutton": "checkbox", "TCheckbutton": "checkbox",
          "Radiobutton": "radio", "TRadiobutton": "radio"}
_WAIT_S = 60.0


def _box(w: tk.Misc) -> list[int]:
    return [w.winfo_rootx(), w.winfo_rooty(), w.winfo_width(), w.winfo_height()]


def _disabled(w: tk.Misc) -> bool:
    try:
        if hasattr(w, "instate"):
            return bool(w.instate(["disabled"]))
        return str(w.cget("state")) == "disabled"
    except tk.TclError:
        return False


def _checked(w: tk.Misc) -> bool:
    """Whether a check button is on (ttk says "selected"; classic Tk compares its variable)."""
    try:
        if hasattr(w, "instate"):
            return bool(w.instate(["selected"]))
        if w.winfo_class() != "Checkbutton":
            return False
        return str(w.getvar(str(w.cget("variable")))) == str(w.cget("onvalue"))
    except tk.TclError:
        return False


def _tabs(nb: Any) -> list[dict[str, Any]]:
    """A ttk notebook's tabs with their boxes, found by asking the notebook which tab lies under each pixel."""
    out: list[dict[str, Any]] = []
    nb.update_idletasks()
    seen: dict[int, list[int]] = {}
    for y in range(0, min(nb.winfo_height(), 60)):
        for x in range(0, nb.winfo_width(), 2):
            try:
                i = int(nb.index(f"@{x},{y}"))
            except (tk.TclError, ValueError):
                continue
            b = seen.setdefault(i, [x, y, x, y])
            b[0], b[1], b[2], b[3] = min(b[0], x), min(b[1], y), max(b[2], x + 1), max(b[3], y)
    for i, (x0, y0, x1, y1) in sorted(seen.items()):
        text = nb.tab(i, "text")
        out.append({"name": text, "role": "tab", "native": "TNotebook.Tab", "disabled": nb.tab(i, "state") == "disabled",
                    "box": [nb.winfo_rootx() + x0, nb.winfo_rooty() + y0, x1 - x0, y1 - y0 + 1]})
    return out


def _menubar(top: tk.Misc) -> list[dict[str, Any]]:
    """The entries of a window's menu bar, read from the clone Tk draws it with (a child of the window)."""
    call = top.tk.call
    out: list[dict[str, Any]] = []
    for name in top.tk.splitlist(call("winfo", "children", top._w)):
        if call("winfo", "class", name) != "Menu" or str(call(name, "cget", "-type")) != "menubar":
            continue
        x0, y0 = int(call("winfo", "rootx", name)), int(call("winfo", "rooty", name))
        height = int(call("winfo", "height", name))
        last = call(name, "index", "end")
        if last in ("", "none"):
            continue
        count = int(last) + 1
        xs = [int(call(name, "xposition", i)) for i in range(count)]
        labels = [str(call(name, "entrycget", i, "-label")) if str(call(name, "type", i)) == "cascade" else ""
                  for i in range(count)]
        font = tkfont.Font(root=top, font=call(name, "cget", "-font"))
        # The last entry ends where its text and the padding the others have end, not at the bar's end.
        pads = sorted(xs[i + 1] - xs[i] - font.measure(labels[i]) for i in range(count - 1) if labels[i])
        pad = pads[len(pads) // 2] if pads else 16
        xs.append(xs[-1] + font.measure(labels[-1]) + pad)
        for i in range(count):
            if not labels[i]:
                continue
            right = next((x for x in xs[i + 1:] if x > xs[i]), xs[-1])
            out.append({"name": str(call(name, "entrycget", i, "-label")), "role": "menu", "native": "Menu.cascade",
                        "disabled": str(call(name, "entrycget", i, "-state")) == "disabled",
                        "box": [x0 + xs[i], y0 + int(call(name, "yposition", i)), right - xs[i],
                                min(height, 28)]})
    return out


def widgets(top: tk.Misc, window: int) -> list[dict[str, Any]]:
    """Every mapped widget of ``top`` a person could name, with role, text, state and box."""
    out: list[dict[str, Any]] = []

    def walk(w: tk.Misc) -> None:
        if not w.winfo_ismapped():
            return
        cls = w.winfo_class()
        if cls in _ROLES:
            out.append({"name": str(w.cget("text")), "role": _ROLES[cls], "native": cls,
                        "disabled": _disabled(w), "checked": _checked(w), "box": _box(w)})
        elif cls == "TNotebook":
            out.extend(_tabs(w))
        elif cls in ("Label", "TLabel", "Labelframe", "TLabelframe"):
            # Labels take part only in telling which names are drawn twice.
            out.append({"name": str(w.cget("text")), "role": "", "native": cls, "disabled": False, "box": _box(w)})
        for child in w.winfo_children():
            if child.winfo_class() != "Toplevel":  # a dialog is a window of its own
                walk(child)

    walk(top)
    out.extend(_menubar(top))
    for item in out:
        item["window"] = window
    return out


def _report(work: Path, n: int, name: str, tops: list[tk.Misc], root: tk.Misc) -> None:
    for _ in range(5):
        root.update()
        time.sleep(0.1)
    items: list[dict[str, Any]] = []
    windows = []
    for z, top in enumerate(tops):
        items += widgets(top, z)
        windows.append({"box": _box(top), "z": z})
    (work / f"{n}.json").write_text(json.dumps({"screen": name, "nodes": items, "windows": windows}))
    done = work / f"{n}.done"
    deadline = time.monotonic() + _WAIT_S
    while not done.exists() and time.monotonic() < deadline:
        root.update()
        time.sleep(0.05)


def main(work: Path) -> None:
    from idlelib import configdialog, help_about, replace, search, searchengine
    from idlelib.pyshell import PyShellFileList

    root = tk.Tk()
    root.withdraw()
    flist = PyShellFileList(root)
    editor = flist.new()  # an untitled editor window: a menu bar and a text area
    editor.top.geometry("900x640+0+0")
    editor.text.insert("1.0", "def greet(name):\n    print('Hello', name)\n\ngreet('world')\n")
    screens: list[tuple[str, Callable[[], list[tk.Misc]]]] = [("editor", lambda: [editor.top])]

    def config_page(index: int) -> Callable[[], list[tk.Misc]]:
        def show() -> list[tk.Misc]:
            dialog = state.get("config") or configdialog.ConfigDialog(editor.top, "Settings", _utest=True)
            state["config"] = dialog
            dialog.geometry("+40+40")
            dialog.note.select(index)
            return [editor.top, dialog]
        return show

    state: dict[str, Any] = {}
    for i, page in enumerate(("fonts", "highlights", "keys", "windows", "shelled", "extensions")):
        screens.append((f"settings-{page}", config_page(i)))

    def close_config() -> None:
        if state.get("config") is not None:
            state["config"].destroy()
            state["config"] = None

    def find() -> list[tk.Misc]:
        close_config()
        dialog = search._setup(editor.text)
        dialog.open(editor.text, "")
        dialog.top.geometry("+60+120")
        return [editor.top, dialog.top]

    def replace_dialog() -> list[tk.Misc]:
        search._setup(editor.text).close()
        replace.replace(editor.text)
        dialog = searchengine.get(root)._replacedialog
        dialog.top.geometry("+60+120")
        return [editor.top, dialog.top]

    def about() -> list[tk.Misc]:
        searchengine.get(root)._replacedialog.close()
        dialog = help_about.AboutDialog(editor.top, "About IDLE", _utest=True)
        dialog.geometry("+80+60")
        return [editor.top, dialog]

    screens += [("find", find), ("replace", replace_dialog), ("about", about)]
    for n, (name, show) in enumerate(screens):
        _report(work, n, name, show(), root)
    (work / "finished").write_text("")
    root.destroy()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
