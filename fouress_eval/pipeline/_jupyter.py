"""Importing the Jupyter stack (nbformat, papermill, nbconvert) quickly, once per process."""

from __future__ import annotations

import sys
from functools import lru_cache

__all__ = ["import_jupyter"]


@lru_cache(maxsize=1)
def import_jupyter() -> None:
    """Import nbformat (and with it jsonschema) without jsonschema's optional IRI format checker.

    jsonschema imports ``rfc3987_syntax`` whenever it is installed (JupyterLab brings it in through
    jupyter-events), and that module builds an Earley parser for the RFC 3987 grammar at import:
    about 2 s of CPU in every process that executes or renders notebooks — the CLI and each pool or
    dask worker — more than a notebook's own analysis. Blocking that one import while jsonschema
    loads only leaves the ``iri`` format unchecked, which neither the notebook schema nor papermill
    uses; the block is lifted at once, so later imports in the process behave as usual.
    """
    blocked = "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules
    if blocked:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # makes the import raise ImportError
    try:
        import nbformat  # noqa: F401 - imports jsonschema
    finally:
        if blocked and sys.modules.get("rfc3987_syntax", False) is None:
            del sys.modules["rfc3987_syntax"]
