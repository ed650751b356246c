"""Load what every ingest worker needs, once, in the fork server the workers fork from.

Imported by the fork server (pipeline.ingest_many asks for it as a preload): the line model, the
langdetect profiles and the gazetteer then exist before any worker forks, instead of being loaded
again by each worker of each run (about 0.7 s of CPU a worker, a fifth of a small corpus's ingest).
"""
from __future__ import annotations

from searchapp import gazetteer
from searchapp.ingest import language, linemodel, pipeline  # noqa: F401  (pipeline: the workers' code)

try:
    linemodel.load_model()
    language._factory()
    gazetteer.gazetteer()
except Exception:  # noqa: BLE001
    # The fork server must come up whatever happens here: a worker that meets the same failure
    # raises it with its own clear message (ExtractorUnavailable) on the file that needs it.
    pass
