"""Persistence: typed models, the async engine and its sessions, migrations glue."""
