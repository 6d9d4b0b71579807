"""Reusable UI components. They take plain values and callbacks, never services."""
