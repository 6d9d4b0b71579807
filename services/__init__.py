"""Business logic. Public functions own their transaction and return frozen dataclasses."""
