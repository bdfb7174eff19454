"""Screen capture adapters: each returns the image with its mapping back to the pointer."""

from desktop.capture.mss_capture import Monitor, MssCapture, monitor_at

__all__ = ["Monitor", "MssCapture", "monitor_at"]
