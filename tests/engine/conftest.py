"""Engine tests share `strategies.py` (Hypothesis strategies and small builders) by a plain
import; make that work under every pytest import mode, not only the default `prepend`."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = str(Path(__file__).parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
