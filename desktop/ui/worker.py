"""Slow work off the GUI thread, routed back to it (after Anki's ``QueryOp``).

:class:`BackgroundOp` runs one callable in a thread and calls ``success`` or
``failure`` on the GUI thread; cancelling drops the result. :class:`GuiInvoker`
goes the other way: a worker asks the GUI thread to do something (hide the
app's windows, list them) and waits for the answer.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal

from desktop.core.work import CancelToken

__all__ = ["BackgroundOp", "GuiInvoker"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Ops alive in a worker thread; holding them here keeps Qt from deleting the
# signal carrier before the result arrives.
_RUNNING: set["BackgroundOp[Any]"] = set()


class _Carrier(QObject):
    done = Signal(object, object)  # result, exception


class BackgroundOp(Generic[T]):
    """Run ``op(token)`` in a worker thread; report back on the GUI thread.

    Parameters
    ----------
    op
        The slow work; it receives a :class:`CancelToken` to check between stages.
    success
        Called on the GUI thread with ``op``'s result, unless cancelled.
    failure
        Called on the GUI thread with the exception ``op`` raised, unless cancelled.
    """

    def __init__(self, op: Callable[[CancelToken], T], success: Callable[[T], None],
                 failure: Callable[[BaseException], None] | None = None, name: str = "work") -> None:
        self.op = op
        self.success = success
        self.failure = failure
        self.name = name
        self.token = CancelToken()
        self._carrier = _Carrier()
        self._carrier.done.connect(self._finish, Qt.ConnectionType.QueuedConnection)

    def run_in_background(self) -> CancelToken:
        """Start the work; the returned token cancels it."""
        _RUNNING.add(self)
        threading.Thread(target=self._run, name=f"op-{self.name}", daemon=True).start()
        return self.token

    def cancel(self) -> None:
        self.token.cancel()

    def _run(self) -> None:
        try:
            result = self.op(self.token)
        except BaseException as exc:  # reported on the GUI thread, never lost
            self._carrier.done.emit(None, exc)
        else:
            self._carrier.done.emit(result, None)

    def _finish(self, result: Any, exc: BaseException | None) -> None:
        _RUNNING.discard(self)
        if self.token.cancelled:
            logger.debug("%s finished after it was cancelled; result dropped", self.name)
            return
        if exc is None:
            self.success(result)
        elif self.failure is not None:
            self.failure(exc)
        else:
            logger.error("%s failed", self.name, exc_info=exc)


class GuiInvoker(QObject):
    """Runs callables on the GUI thread for worker threads, and waits for their result."""

    _call = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._call.connect(self._run, Qt.ConnectionType.BlockingQueuedConnection)

    def call(self, fn: Callable[[], T]) -> T:
        """``fn()`` on the GUI thread (directly when already there)."""
        if QThread.currentThread() is self.thread():
            return fn()
        box: list[Any] = []
        self._call.emit((fn, box))
        result, exc = box[0]
        if exc is not None:
            raise exc
        return result

    def _run(self, payload: tuple[Callable[[], Any], list[Any]]) -> None:
        fn, box = payload
        try:
            box.append((fn(), None))
        except BaseException as exc:
            box.append((None, exc))
