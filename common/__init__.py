"""Helpers every app uses and that know no app: paging, accessible form errors, search core.

Imports nothing of the project (held by the import-linter contracts in pyproject.toml).
"""
