"""Demo content for `seed --demo`: realistic projects and results per city."""


def demo_inhalte(stdout) -> None:
    """Filled in by the portal's demo data (projects, results, documents, Freigaben)."""
