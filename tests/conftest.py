"""Test-wide settings.

CI decides whether a change lands, so its property tests must not pass on
one run and fail on the next: under ``HYPOTHESIS_PROFILE=ci`` (set by
``.ci/run``) hypothesis draws the same examples every time. Run locally,
the default profile keeps exploring new ones; a failure it finds prints the
example to pin with ``@example``.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
