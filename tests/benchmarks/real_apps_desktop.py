"""Real applications on a private Xvfb display with a real accessibility bus, for the real-app benchmark.

Each application runs alone on a fresh 1920x1080 display (its own session bus
and accessibility bus, as :mod:`tests.e2e._a11y_desktop` starts them). A
screen is the application's window after a few steps a person would take
(switch a page, open a menu, open a dialog), done with xdotool on the boxes
the accessibility tree reports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.geometry import Box
from desktop.grounding._a11y_tree import TreeSnapshot
from tests.e2e._a11y_desktop import A11yDesktop, missing_a11y_tools

if TYPE_CHECKING:
    from desktop.grounding._a11y_atspi import AtspiBackend

__all__ = ["Step", "ScreenSpec", "AppSpec", "APPS", "AppSession", "missing_for", "missing_a11y_tools"]

SCREEN_BOX = Box(0, 0, 1920, 1080)
_ENV_KEYS = ("DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "AT_SPI_BUS_ADDRESS")


@dataclass(frozen=True)
class Step:
    """One thing a person does before a screen is taken.

    ``kind`` is ``click`` (the showing element named ``name``, of ``role`` when
    given, at its centre), ``key`` (an xdotool key name in ``name``) or
    ``resize`` (the window titled ``name`` to the size ``role``, "WIDTHxHEIGHT":
    a dialog whose page scrolls is made tall enough to show it all, because
    the tree calls a control scrolled out of view "showing").
    """

    kind: str
    name: str
    role: str = ""


@dataclass(frozen=True)
class ScreenSpec:
    """A screen of an application: the steps from the previous screen to this one."""

    name: str
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class AppSpec:
    """An application, how to start it, its Debian package and the screens taken of it."""

    name: str
    argv: tuple[str, ...]
    package: str
    screens: tuple[ScreenSpec, ...] = field(default=(ScreenSpec("main"),))
    #: Files (folders end in "/") made in a fresh folder that ``{files}`` in ``argv`` names.
    files: tuple[str, ...] = ()


def _click(name: str, role: str = "") -> Step:
    return Step("click", name, role)


_ESC = Step("key", "Escape")
_YAD_FORM = ("yad", "--form", "--title=Backup settings", "--text=Choose what to back up",
             "--field=Archive name", "--field=Include hidden files:CHK", "--field=Compress archive:CHK",
             "--field=Verify after writing:CHK", "--field=Format:CB", "--field=Notes:TXT",
             "", "FALSE", "TRUE", "FALSE", "zip!tar!7z", "",
             "--button=Help:2", "--button=Cancel:1", "--button=Start backup:0")
_YAD_LIST = ("yad", "--list", "--radiolist", "--title=Pick a printer", "--width=520", "--height=320",
             "--column=Use", "--column=Printer", "--column=Location",
             "TRUE", "Office laser", "Second floor", "FALSE", "Photo printer", "Studio",
             "FALSE", "Label maker", "Warehouse", "--button=Refresh:2", "--button=Close:1", "--button=Print:0")

#: A folder's content for file managers and file dialogs (the same on every machine, unlike a working folder).
_DEMO_FILES = ("Documents/", "Music/", "report.pdf", "notes.txt", "budget.xlsx", "photo.png", "todo.md")

APPS: tuple[AppSpec, ...] = (
    AppSpec("gtk3-widget-factory", ("gtk3-widget-factory",), "gtk-3-examples", (
        ScreenSpec("page1"), ScreenSpec("page2", (_click("Page 2"),)), ScreenSpec("page3", (_click("Page 3"),)),
        ScreenSpec("menu", (_click("Menu"),)))),
    AppSpec("galculator", ("galculator",), "galculator", (
        ScreenSpec("basic"), ScreenSpec("edit-menu", (_click("Edit", "menu"),)),
        ScreenSpec("view-menu", (_ESC, _click("View", "menu"))))),
    AppSpec("mousepad", ("mousepad",), "mousepad", (
        ScreenSpec("file-menu", (_click("File", "menu"),)),
        ScreenSpec("search-menu", (_ESC, _click("Search", "menu"))),
        ScreenSpec("preferences", (_ESC, _click("Edit", "menu"), _click("Preferences...", "menuitem"))))),
    AppSpec("yad-form", _YAD_FORM, "yad"),
    AppSpec("yad-list", _YAD_LIST, "yad"),
    # Added later and measured once before any change made for them: see tests/benchmarks/README.md.
    AppSpec("xarchiver", ("xarchiver",), "xarchiver", (
        ScreenSpec("main"), ScreenSpec("archive-menu", (_click("Archive", "menu"),)),
        ScreenSpec("action-menu", (_ESC, _click("Action", "menu"))))),
    AppSpec("lxappearance", ("lxappearance",), "lxappearance", (
        ScreenSpec("widget"), ScreenSpec("icon-theme", (_click("Icon Theme", "tab"),)),
        ScreenSpec("font", (_click("Font", "tab"),)), ScreenSpec("other", (_click("Other", "tab"),)))),
    AppSpec("gucharmap", ("gucharmap",), "gucharmap", (
        ScreenSpec("main"), ScreenSpec("view-menu", (_click("View", "menu"),)))),
    # GTK's own standard dialogs, as every GTK program shows them.
    AppSpec("yad-file", ("yad", "--file", "--title=Open a report", "--width=900", "--height=600",
                         "--filename={files}/"), "yad", files=_DEMO_FILES),
    AppSpec("yad-font", ("yad", "--font", "--title=Choose a font"), "yad"),
    # A Qt 5 application (Fusion-like default style), added later and measured once before any change for it.
    AppSpec("featherpad", ("featherpad",), "featherpad", (
        ScreenSpec("main"), ScreenSpec("file-menu", (_click("File", "menuitem"),)),
        ScreenSpec("options-menu", (_ESC, _click("Options", "menuitem"))),
        ScreenSpec("preferences", (_click("Preferences", "menuitem"), Step("resize", "Preferences", "560x1000"))))),
    # A file manager's icon view (pcmanfm, GTK 2/3 libfm); its items have no tree, its menus do.
    AppSpec("pcmanfm", ("pcmanfm", "--no-desktop", "{files}"), "pcmanfm", (
        ScreenSpec("main"), ScreenSpec("go-menu", (_click("Go", "menu"),)),
        ScreenSpec("view-menu", (_ESC, _click("View", "menu")))),
        files=_DEMO_FILES),
    AppSpec("yad-calendar", ("yad", "--calendar", "--title=Pick a date", "--day=14", "--month=3", "--year=2026"),
            "yad"),
)


def missing_for(app: AppSpec) -> str:
    """Why ``app`` cannot run here ("" when it can)."""
    if shutil.which(app.argv[0]) is None:
        return f"{app.argv[0]} is not installed (apt-get install {app.package})"
    return ""


def _without_opencv_qt(env: dict[str, str]) -> dict[str, str]:
    """``env`` without the Qt plugin paths that importing OpenCV (through the OCR) puts into this process.

    A system Qt application started with them loads OpenCV's bundled Qt
    plugins, fails to start its platform plugin and never shows a window.
    """
    kept = {k: v for k, v in env.items() if not k.startswith("QT_QPA_")}
    paths = [p for p in kept.get("LD_LIBRARY_PATH", "").split(":") if p and "cv2" not in p]
    kept.pop("LD_LIBRARY_PATH", None)
    if paths:
        kept["LD_LIBRARY_PATH"] = ":".join(paths)
    return kept


class AppSession:
    """One application alone on its own display; the process environment points at it while open."""

    def __init__(self, app: AppSpec, tmp: Path) -> None:
        self.app = app
        tmp.mkdir(parents=True, exist_ok=True)
        self.desktop = A11yDesktop(tmp, screen="1920x1080x24")
        self._saved: dict[str, str | None] = {}
        self.backend: AtspiBackend | None = None

    def __enter__(self) -> "AppSession":
        self._saved = {k: os.environ.get(k) for k in _ENV_KEYS}
        d = self.desktop
        d.start_x_and_bus()
        # GTK 2 loads its accessibility bridge only when asked (GTK 3 always does), Qt 5 likewise.
        d._spawn_env(self._argv(), d.tmp / "app.log",
                     {**_without_opencv_qt(d.env), "LANG": "C.UTF-8", "GTK_MODULES": "gail:atk-bridge",
                      "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"})
        os.environ.pop("AT_SPI_BUS_ADDRESS", None)
        os.environ.update(d.in_process_env())
        from desktop.grounding._a11y_atspi import AtspiBackend

        self.backend = AtspiBackend()
        self._wait_for_window()
        return self

    def _argv(self) -> list[str]:
        """The app's command line, with a folder of its demo files made for ``{files}``."""
        folder = self.desktop.tmp / "files"
        for name in self.app.files:
            path = folder / name
            if name.endswith("/"):
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("Click Assist benchmark file\n")
        return [a.replace("{files}", str(folder)) for a in self.app.argv]

    def __exit__(self, *exc: object) -> None:
        self.desktop.stop()
        for k, v in self._saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    def _wait_for_window(self, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            time.sleep(1.0)
            assert self.backend is not None
            self.backend.warm_up()  # GTK builds its cache once someone listens: ask, then wait
            if any(n.role and n.box is not None for n in self.snapshot().nodes):
                time.sleep(1.0)  # first frame drawn
                return
        raise RuntimeError(f"{self.app.name}: no window with controls appeared")

    def snapshot(self) -> TreeSnapshot:
        """The tree over the whole screen now."""
        assert self.backend is not None
        return self.backend.snapshot(SCREEN_BOX, 3.0)

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.desktop.env, check=True)

    def do(self, step: Step) -> None:
        """Perform ``step``; raises ``LookupError`` when its element is not on screen."""
        if step.kind == "key":
            self.xdotool("key", step.name)
        elif step.kind == "resize":
            width, height = step.role.split("x")
            self.xdotool("search", "--sync", "--onlyvisible", "--name", step.name, "windowsize", width, height)
        else:
            box = self._find(step)
            cx, cy = box.center
            self.xdotool("mousemove", str(int(cx)), str(int(cy)))
            time.sleep(0.1)
            self.xdotool("click", "1")
        time.sleep(1.2)  # menus open, pages switch, dialogs map

    def _find(self, step: Step) -> Box:
        for node in self.snapshot().nodes:
            if (node.name.strip() == step.name and node.box is not None and "showing" in node.states
                    and (not step.role or node.role == step.role)):
                return node.box
        raise LookupError(f"{self.app.name}: no showing '{step.name}' to click")

