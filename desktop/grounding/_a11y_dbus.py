"""A small pipelined D-Bus client over jeepney, with deadlines.

Asking an accessibility tree for hundreds of properties one round trip at a
time costs a millisecond or more per call; sending every request first and
then collecting the replies by serial number costs about one round trip in
all. Every wait has a deadline, so an application that hangs delays a
snapshot by at most that long; its late replies are simply dropped.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Sequence

__all__ = ["Call", "Reply", "PipelinedBus", "NO_REPLY"]

logger = logging.getLogger(__name__)

#: Requests in flight at once: enough to hide latency, few enough that
#: neither side's socket buffer fills while the other is not reading.
_WINDOW = 128


@dataclass(frozen=True)
class Call:
    """One method call: destination bus name, object path, interface, method, signature, arguments."""

    bus: str
    path: str
    interface: str
    method: str
    signature: str | None = None
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Reply:
    """A reply's body, or the error name when the call failed."""

    body: tuple[Any, ...] = ()
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


#: What a call that got no reply before the deadline yields.
NO_REPLY = Reply(error="timeout")


class PipelinedBus:
    """One connection to a D-Bus bus, used from one thread at a time (the caller locks).

    Parameters
    ----------
    address
        A D-Bus address (``unix:path=...``) or ``"SESSION"``.
    timeout_s
        How long connecting and authenticating may take.
    """

    def __init__(self, address: str, timeout_s: float = 1.0) -> None:
        from jeepney.io.blocking import open_dbus_connection  # type: ignore[import-untyped]

        self.address = address
        self._conn = open_dbus_connection(address, auth_timeout=timeout_s)

    def close(self) -> None:
        try:
            self._conn.close()
        except OSError:  # already gone
            pass

    def call(self, call: Call, timeout_s: float) -> Reply:
        """One call, waited for at most ``timeout_s``."""
        return self.call_many([call], time.monotonic() + timeout_s)[0]

    def call_many(self, calls: Sequence[Call], deadline: float) -> list[Reply]:
        """Send ``calls`` pipelined and return their replies in order (:data:`NO_REPLY` past ``deadline``).

        Raises
        ------
        OSError
            When the connection itself breaks (the caller reconnects).
        """
        from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call  # type: ignore[import-untyped]

        replies: list[Reply | None] = [None] * len(calls)
        waiting: dict[int, int] = {}
        sent = 0
        while sent < len(calls) or waiting:
            while sent < len(calls) and len(waiting) < _WINDOW:
                c = calls[sent]
                msg = new_method_call(DBusAddress(c.path, bus_name=c.bus, interface=c.interface),
                                      c.method, c.signature, c.args)
                serial = next(self._conn.outgoing_serial)
                self._conn.send(msg, serial=serial)
                waiting[serial] = sent
                sent += 1
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                msg = self._conn.receive(timeout=remaining)
            except TimeoutError:
                break
            index = waiting.pop(msg.header.fields.get(HeaderFields.reply_serial, -1), None)
            if index is None:
                continue  # a signal, or a late reply to an earlier snapshot
            if msg.header.message_type == MessageType.error:
                replies[index] = Reply(error=str(msg.header.fields.get(HeaderFields.error_name, "error")))
            else:
                replies[index] = Reply(tuple(msg.body))
        if waiting:
            logger.debug("%d D-Bus call(s) got no reply in time", len(waiting))
        return [r if r is not None else NO_REPLY for r in replies]
