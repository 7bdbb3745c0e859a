"""The Python-rendered facet <select>: same markup as Django's, escaped, one option selected."""

from projekte.filter import FacettenForm, SchnelleAuswahl


def test_auswahl_markiert_wert_und_escaped_beschriftung():
    widget = SchnelleAuswahl(choices=[("", "alle"), (1, "<b>Fürth</b>"), (2, "Erlangen")])
    html = widget.render("kommune", "1", attrs={"id": "id_kommune", "aria-invalid": "true"})
    assert html.startswith('<select name="kommune" ')
    assert ' id="id_kommune"' in html and ' aria-invalid="true"' in html
    assert '<option value="1" selected>&lt;b&gt;Fürth&lt;/b&gt;</option>' in html
    assert '<option value="2">Erlangen</option>' in html
    assert html.count(" selected") == 1


def test_facette_kommune_nutzt_die_schnelle_auswahl():
    class K:
        def __init__(self, pk, name):
            self.pk, self.name = pk, name

    form = FacettenForm({"kommune": "7"}, kommunen=[K(7, "Augsburg"), K(8, "Bamberg")])
    html = str(form["kommune"])
    assert '<option value="7" selected>Augsburg</option>' in html
    assert form.filter()["kommune"] == 7


def test_facettenoptionen_gecacht_und_nach_aenderung_neu(db, django_assert_num_queries):
    from projekte import selectors
    from projekte.models import Thema

    selectors.facetten_optionen()
    with django_assert_num_queries(0):
        selectors.facetten_optionen()
    Thema.objects.create(name="Smart City", slug="smart-city")
    with django_assert_num_queries(3):
        namen = [t.name for t in selectors.facetten_optionen()["themen"]]
    assert "Smart City" in namen


class _K:
    def __init__(self, pk, name):
        self.pk, self.name = pk, name


def test_vorbereitete_auswahl_markiert_nur_gueltige_werte():
    from django.utils import translation

    from projekte.filter import Auswahl

    auswahl = Auswahl([_K(3, "Fürth & Umgebung"), _K(30, "Erlangen")])
    widget = SchnelleAuswahl(choices=auswahl)
    html = widget.render("kommune", "3")
    assert '<option value="3" selected>Fürth &amp; Umgebung</option>' in html
    assert '<option value="30">Erlangen</option>' in html
    assert html.count(" selected") == 1
    # A value that is not an option marks nothing (and the form refuses it).
    assert " selected" not in widget.render("kommune", '3"><script>')
    assert '<option value="" selected>alle</option>' in widget.render("kommune", "")
    with translation.override("en"):
        assert '<option value="" selected>all</option>' in widget.render("kommune", None)


def test_facette_mit_auswahl_weist_fremden_wert_ab():
    from projekte.filter import Auswahl

    auswahl = Auswahl([_K(7, "Augsburg")])
    assert FacettenForm({"kommune": "7"}, kommunen=auswahl).filter() == {"kommune": 7}
    form = FacettenForm({"kommune": "8"}, kommunen=auswahl)
    assert "kommune" not in form.filter()
    assert form.fehlermeldungen()
