"""Ergebnisse (study results) and their Dokumente: files, text extraction, search."""
