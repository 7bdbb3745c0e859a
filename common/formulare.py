"""Form mixins for accessible error messages, shared by every app's forms."""

from __future__ import annotations


class FehlerVerknuepfen:
    """Ties each field's error and help text to its input: `aria-describedby` names
    "<id>_fehler" and "<id>_helptext" (the ids the templates give them), `aria-invalid` marks
    a field with an error."""

    def full_clean(self):
        super().full_clean()
        for name, feld in self.fields.items():
            bf = self[name]
            ids = []
            if name in self.errors:
                ids.append(f"{bf.auto_id}_fehler")
                feld.widget.attrs["aria-invalid"] = "true"
            if feld.help_text:
                ids.append(f"{bf.auto_id}_helptext")
            if ids:
                feld.widget.attrs["aria-describedby"] = " ".join(ids)


class FeldfehlerMixin:
    """Puts a service's ValidationError on the form's fields (or the form) for display."""

    def fehler_uebernehmen(self, exc) -> None:
        if hasattr(exc, "error_dict"):
            for feld, fehler in exc.error_dict.items():
                self.add_error(feld if feld in self.fields else None, fehler)
        else:
            self.add_error(None, exc)
