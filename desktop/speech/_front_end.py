"""The one lock every pocketsphinx front end in this process computes features under.

pocketsphinx keeps the frequency warp's parameters in process-wide
variables (``fe_warp_inverse_linear.c``): building any front end sets them
(no warp unless asked; and a later request spelt as the last one set is
skipped, even if a front end turned the warp off in between), and every
decoder then computes features with whatever was set last. With two recognizers alive (the app's and an
adaptation check's, or a new one after a settings change) one decoder's warp
silently became the other's: a voice heard right at 1.16 was misheard once
a second, unwarped decoder had been created. So each computation sets its own
warp right before it runs, and holds this lock until its features are made.
"""

from __future__ import annotations

import threading

__all__ = ["FRONT_END_LOCK"]

FRONT_END_LOCK = threading.RLock()
