"""The AT-SPI backend: the Linux accessibility tree over D-Bus, in pure Python (jeepney).

One snapshot costs a few round trips, each pipelined:

1. the registry's list of applications (and each one's process id);
2. for the applications with a window over the region (X11 stacking order
   when there is an X server), ``Cache.GetItems``: the whole tree of an
   application in one reply; toolkits without that cache (Qt) are walked
   level by level instead, skipping subtrees that are not showing;
3. ``Component.GetExtents`` (screen coordinates) for the showing, actionable
   elements only.

GTK builds its cache only once some client listens for events, so the
backend registers for one event when it connects, as screen readers do.
An application that does not answer in time is left out and skipped for a
while; grounding goes on with the other sources.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass
from typing import Sequence

from desktop.core.errors import BackendFailed
from desktop.core.geometry import Box
from desktop.grounding._a11y_atspi_parse import (APP_ROOT, AppTree, RawElement, assemble, box_from_extents,
                                                 elements_from_cache, wanted_paths)
from desktop.grounding._a11y_atspi_roles import state_bits
from desktop.grounding._a11y_dbus import Call, PipelinedBus, Reply
from desktop.grounding._a11y_tree import StackedWindow, TreeSnapshot
from desktop.grounding._a11y_x11 import X11Stacking

__all__ = ["AtspiBackend", "App"]

logger = logging.getLogger(__name__)

_ACC = "org.a11y.atspi.Accessible"
_PROPS = "org.freedesktop.DBus.Properties"
_COMPONENT = "org.a11y.atspi.Component"
_SCREEN = 0  # ATSPI_COORD_TYPE_SCREEN
#: How long a hung application is skipped before it is asked again.
_HUNG_FOR_S = 30.0
#: How long to wait before trying to reach a missing accessibility bus again.
_RETRY_BUS_S = 5.0
_MAX_WALK = 4000
#: When to ask again for the cache of an application that has none yet (GTK builds it on demand)...
_RETRY_CACHE_S = 2.0
#: ... or that answered with an empty one (Qt's is always empty).
_NO_CACHE_S = 300.0


@dataclass(frozen=True)
class App:
    """An application registered with the accessibility bus."""

    bus: str
    name: str
    pid: int


class AtspiBackend:
    """AT-SPI tree snapshots; thread-safe (one snapshot at a time)."""

    name = "atspi"

    def __init__(self, address: str | None = None, stacking: X11Stacking | None = None,
                 own_pid: int | None = None) -> None:
        self._address = address
        self._stacking = stacking if stacking is not None else X11Stacking()
        self._own_pid = os.getpid() if own_pid is None else own_pid
        self._lock = threading.Lock()
        self._bus: PipelinedBus | None = None
        self._bus_failed_at = -1e9
        self._apps: dict[str, App] = {}
        self._hung: dict[str, float] = {}
        #: Applications to walk instead of asking for their cache, until when.
        self._no_cache: dict[str, float] = {}

    def available(self) -> bool:
        return sys.platform.startswith("linux") and importlib.util.find_spec("jeepney") is not None

    # -- connection ------------------------------------------------------------
    def _a11y_address(self) -> str:
        env = os.environ.get("AT_SPI_BUS_ADDRESS")
        if self._address or env:
            return self._address or env or ""
        session = PipelinedBus("SESSION")
        try:
            reply = session.call(Call("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress"), 1.0)
        finally:
            session.close()
        if not reply.ok or not reply.body:
            raise OSError(f"the session bus has no accessibility bus ({reply.error})")
        return str(reply.body[0])

    def _connect(self) -> PipelinedBus | None:
        if self._bus is not None:
            return self._bus
        if time.monotonic() - self._bus_failed_at < _RETRY_BUS_S:
            return None
        try:
            bus = PipelinedBus(self._a11y_address())
            # Any registered listener makes GTK build the cache GetItems reads. The reply is not
            # needed: waiting only briefly keeps a busy registry from holding the first snapshot up.
            bus.call(Call("org.a11y.atspi.Registry", "/org/a11y/atspi/registry", "org.a11y.atspi.Registry",
                          "RegisterEvent", "s", ("object:children-changed",)), 0.1)
        except (OSError, KeyError, ValueError, RuntimeError) as exc:
            self._bus_failed_at = time.monotonic()
            logger.info("no accessibility bus here (%s); the tree is not used", exc)
            return None
        self._bus = bus
        logger.info("connected to the accessibility bus")
        return bus

    def warm_up(self) -> None:
        """Connect (and have GTK applications build their caches) ahead of the first snapshot."""
        with self._lock:
            self._connect()
        self._stacking.windows()

    def _drop_bus(self) -> None:
        if self._bus is not None:
            self._bus.close()
        self._bus = None
        self._apps.clear()

    # -- snapshot ----------------------------------------------------------------
    def snapshot(self, region: Box, timeout_s: float) -> TreeSnapshot:
        """Elements of the applications over ``region`` (pointer coordinates); see :class:`TreeBackend`."""
        start = time.monotonic()
        deadline = start + timeout_s
        with self._lock:
            bus = self._connect()
            if bus is None:
                return TreeSnapshot()
            stacked = [w for w in self._stacking.windows() if w.pid != self._own_pid]
            try:
                return self._snapshot(bus, region, stacked, start, deadline)
            except (OSError, EOFError, RuntimeError) as exc:  # the connection itself broke
                self._drop_bus()
                raise BackendFailed(f"The accessibility bus connection broke: {exc}.") from exc

    def _snapshot(self, bus: PipelinedBus, region: Box, stacked: list[StackedWindow], start: float,
                  deadline: float) -> TreeSnapshot:
        budget = deadline - start
        apps = self._chosen_apps(bus, region, stacked, start + budget * 0.25)
        # Each phase has its own share, so one hung application cannot use up the others' time.
        fetched, timed_out = self._fetch(bus, apps, start + budget * 0.45, budget * 0.3)
        trees = []
        for app, elements, extents in fetched:
            top, wanted = wanted_paths(elements)
            need = [p for p in top + wanted if p not in extents]
            extents = {**extents, **self._extents(bus, app.bus, need, deadline)}
            trees.append(AppTree(app.name, app.pid, elements, extents))
        return assemble(trees, stacked, (time.monotonic() - start) * 1000, timed_out)

    def _chosen_apps(self, bus: PipelinedBus, region: Box, stacked: list[StackedWindow],
                     deadline: float) -> list[App]:
        reply = bus.call_many([Call("org.a11y.atspi.Registry", APP_ROOT, _ACC, "GetChildren")], deadline)[0]
        if not reply.ok:
            raise OSError(f"the accessibility registry did not answer ({reply.error})")
        names = [str(b) for b, _ in reply.body[0]]
        new = [n for n in names if n not in self._apps]
        if new:
            calls = [Call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "GetConnectionUnixProcessID", "s", (n,)) for n in new]
            calls += [Call(n, APP_ROOT, _PROPS, "Get", "ss", (_ACC, "Name")) for n in new]
            replies = bus.call_many(calls, deadline)
            for i, n in enumerate(new):
                pid, label = replies[i], replies[len(new) + i]
                if pid.ok:  # an application that did not answer is asked again next time
                    self._apps[n] = App(n, str(label.body[0][1]) if label.ok else "", int(pid.body[0]))
        live = set(names)
        for gone in [n for n in self._apps if n not in live]:
            del self._apps[gone]
        return _under_region([self._apps[n] for n in names if n in self._apps], region, stacked,
                             self._own_pid)

    def _fetch(self, bus: PipelinedBus, apps: list[App], deadline: float, walk_s: float
               ) -> tuple[list[tuple[App, dict[str, RawElement], dict[str, Box | None]]], list[str]]:
        """Whole trees: one GetItems each (until ``deadline``), then walks (``walk_s`` more) for the rest."""
        now = time.monotonic()
        asked = [a for a in apps if self._hung.get(a.bus, 0.0) <= now]
        timed_out = [a.name or a.bus for a in apps if a not in asked]
        cached = [a for a in asked if self._no_cache.get(a.bus, 0.0) <= now]
        replies = bus.call_many([Call(a.bus, "/org/a11y/atspi/cache", "org.a11y.atspi.Cache", "GetItems")
                                 for a in cached], deadline)
        out: list[tuple[App, dict[str, RawElement], dict[str, Box | None]]] = []
        walk = [a for a in asked if a not in cached]
        for app, reply in zip(cached, replies):
            if reply.error == "timeout":
                self._hung[app.bus] = time.monotonic() + _HUNG_FOR_S
                timed_out.append(app.name or app.bus)
                logger.warning("application %r did not answer the accessibility bus in time; skipped",
                               app.name or app.bus)
            elif reply.ok and reply.body and reply.body[0]:
                try:
                    out.append((app, elements_from_cache(reply.body[0]), {}))
                except (ValueError, TypeError, IndexError) as exc:  # one broken application, not all
                    logger.warning("application %r sent an unreadable tree (%s); skipped", app.name, exc)
            else:
                # Qt answers with an empty cache, always; GTK says UnknownMethod until its cache is built.
                retry = _RETRY_CACHE_S if reply.error.endswith("UnknownMethod") else _NO_CACHE_S
                self._no_cache[app.bus] = time.monotonic() + retry
                walk.append(app)
        walk_deadline = time.monotonic() + walk_s
        for app in walk:
            walked = self._walk(bus, app, walk_deadline)
            if walked is None:
                timed_out.append(app.name or app.bus)
            else:
                out.append((app, *walked))
        return out, timed_out

    def _extents(self, bus: PipelinedBus, app_bus: str, paths: Sequence[str],
                 deadline: float) -> dict[str, Box | None]:
        calls = [Call(app_bus, p, _COMPONENT, "GetExtents", "u", (_SCREEN,)) for p in paths]
        return {p: _box(r) for p, r in zip(paths, bus.call_many(calls, deadline))}

    def _walk(self, bus: PipelinedBus, app: App, deadline: float
              ) -> tuple[dict[str, RawElement], dict[str, Box | None]] | None:
        """The showing part of an application's tree, one pipelined round trip per level."""
        elements: dict[str, RawElement] = {}
        extents: dict[str, Box | None] = {}
        level = [(APP_ROOT, "")]
        while level and len(elements) < _MAX_WALK:
            calls = []
            for path, _ in level:
                calls += [Call(app.bus, path, _ACC, "GetRole"), Call(app.bus, path, _ACC, "GetState"),
                          Call(app.bus, path, _PROPS, "Get", "ss", (_ACC, "Name")),
                          Call(app.bus, path, _PROPS, "Get", "ss", (_ACC, "Description")),
                          Call(app.bus, path, _COMPONENT, "GetExtents", "u", (_SCREEN,)),
                          Call(app.bus, path, _ACC, "GetChildren")]
            replies = bus.call_many(calls, deadline)
            if replies and all(r.error == "timeout" for r in replies[:6]):
                self._hung[app.bus] = time.monotonic() + _HUNG_FOR_S
                return None
            level = self._walk_level(level, replies, elements, extents)
        return elements, extents

    @staticmethod
    def _walk_level(level: list[tuple[str, str]], replies: list[Reply], elements: dict[str, RawElement],
                    extents: dict[str, Box | None]) -> list[tuple[str, str]]:
        following = []
        for i, (path, parent) in enumerate(level):
            role, state, name, desc, ext, children = replies[6 * i:6 * i + 6]
            if path != APP_ROOT:
                if not (role.ok and state.ok):
                    continue
                el = RawElement(path, parent, _variant(name), int(role.body[0]), _variant(desc),
                                state_bits(state.body[0]))
                elements[path] = el
                extents[path] = _box(ext)
                if not el.showing:
                    continue  # nothing inside a hidden element is on screen
            if children.ok:
                following += [(str(p), path) for _, p in children.body[0]]
        return following


def _variant(reply: Reply) -> str:
    return str(reply.body[0][1]) if reply.ok and reply.body else ""


def _box(reply: Reply) -> Box | None:
    return box_from_extents(reply.body[0]) if reply.ok and reply.body else None


def _under_region(apps: list[App], region: Box, stacked: list[StackedWindow], own_pid: int) -> list[App]:
    """The applications with a window over ``region`` that is not wholly covered; all when X cannot say."""
    apps = [a for a in apps if a.pid != own_pid]
    if not stacked:
        return apps
    known = {w.pid for w in stacked}
    visible = set()
    for w in stacked:
        part = w.box.intersection(region)
        if part <= 0:
            continue
        above = [o.box for o in stacked if o.z > w.z]
        if not any(o.contains(w.box.x0, w.box.y0) and o.contains(w.box.x1 - 1, w.box.y1 - 1) for o in above):
            visible.add(w.pid)
    # An application whose windows carry no process id cannot be placed: ask it anyway.
    return [a for a in apps if a.pid in visible or a.pid not in known]
