"""Projekte and what describes them: Themen, Initiativen, Beteiligung."""
