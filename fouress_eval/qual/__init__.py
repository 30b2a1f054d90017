"""Qualitative analysis: codebook, codings, REFI-QDA exchange, tallies and inter-coder agreement
(DESIGN.md section 8). Modules are imported on use: ``from fouress_eval.qual import refi``."""

from .corpus import Corpus, canonical_guid, new_guid

__all__ = ["Corpus", "canonical_guid", "new_guid"]
