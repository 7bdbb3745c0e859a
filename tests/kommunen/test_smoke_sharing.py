"""First end-to-end check of the sharing core: propose, grant, see, revoke."""

from kommunen import services, sharing
from kommunen.models import EmpfaengerArt, Umfang
from tests.factories import projekt_anlegen


def test_erteilen_und_widerrufen_an_kommune(welt):
    her = welt.user("muenchen", "herausgabe")
    admin = welt.user("muenchen", "freigabe_admin")
    augsburg = welt.user("augsburg")
    nuernberg = welt.user("nuernberg")
    projekt = projekt_anlegen(welt.muenchen, her)
    assert not sharing.can(augsburg, "view", projekt)
    f = services.freigabe_beantragen(
        objekt=projekt,
        by=her,
        empfaenger_art=EmpfaengerArt.KOMMUNE,
        empfaenger_kommune=welt.augsburg,
        umfang=Umfang.VOLLSTAENDIG,
    )
    services.freigabe_erteilen(freigabe=f, by=admin)
    assert sharing.can(welt.user("augsburg"), "download", projekt)
    assert not sharing.can(nuernberg, "view", projekt)
    services.freigabe_widerrufen(freigabe=f, by=admin)
    assert not sharing.can(welt.user("augsburg"), "view", projekt)
