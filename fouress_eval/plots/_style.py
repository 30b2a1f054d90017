"""Shared figure conventions."""

PALETTE = "cividis"  # perceptually uniform and colour-blind safe (sequential scales)
CATEGORICAL = "colorblind"  # seaborn's colour-blind-safe qualitative palette
