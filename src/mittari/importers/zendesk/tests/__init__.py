from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
EXPORT = SAMPLES / "export"
