"""Demo texts of the legal pages for `seed --demo`: complete, as an operator would publish them.

The operator's name and contact come from the settings (PORTAL_BETREIBER, PORTAL_KONTAKT_EMAIL);
the address and the data protection officer are the demo's own. What the Protokoll keeps and for
how long is not written here: the Datenschutzerklärung renders it from the settings.
"""

import datetime as dt

from django.conf import settings

from .models import Rechtstext, RechtstextArt
from .services import rechtstext_speichern

ANSCHRIFT = "Geschäftsstelle des Wissensverbunds, Hauptmarkt 18, 90403 Nürnberg"
DATENSCHUTZ_EMAIL = "datenschutz@wissensverbund.example"
# The statement's dates (the admin asks for both; the demo's are fixed, not "today").
ERKLAERUNG_VOM = dt.date(2025, 9, 1)
GEPRUEFT_AM = dt.date(2025, 11, 3)


def _impressum(betreiber: str, kontakt: str) -> tuple[str, str]:
    de = f"""\
Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG) und § 18 Abs. 2 Medienstaatsvertrag (MStV).

# Anbieter

{betreiber}, {ANSCHRIFT}

Der Wissensverbund wird von den Kommunen des Kooperationsbündnisses Nürnberg–Augsburg–München
getragen; die Geschäftsstelle betreibt das Portal in ihrem Auftrag. Vertreten durch die Leitung
der Geschäftsstelle.

# Kontakt

E-Mail: [{kontakt}](mailto:{kontakt})

# Aufsicht

Die Kommunen des Bündnisses unterliegen der Rechtsaufsicht ihrer Regierung (Regierung von
Mittelfranken, Regierung von Schwaben, Regierung von Oberbayern).

# Verantwortlich für den Inhalt

Für die Seiten des Portals: die Leitung der Geschäftsstelle, Anschrift wie oben. Für Projekte,
Studienergebnisse und Dokumente ist jeweils die Kommune verantwortlich, die sie eingestellt hat;
sie ist auf jeder Seite genannt. Nach welchen Regeln Kommunen Inhalte miteinander teilen, steht
unter [Rechtsgrundlagen der Freigaben](/rechtsgrundlagen/).
"""
    en = f"""\
Information pursuant to § 5 of the German Digital Services Act (DDG) and § 18 (2) of the
Interstate Media Treaty (MStV).

# Provider

{betreiber}, {ANSCHRIFT}

The Wissensverbund is run by the municipalities of the Nuremberg–Augsburg–Munich cooperation
alliance; its office operates the portal on their behalf, represented by the head of the office.

# Contact

E-mail: [{kontakt}](mailto:{kontakt})

# Supervision

The alliance's municipalities are supervised by their district governments (Regierung von
Mittelfranken, Regierung von Schwaben, Regierung von Oberbayern).

# Responsible for the content

For the portal's own pages: the head of the office, address as above. Each project, study result
and document is the responsibility of the municipality that published it; it is named on every
page. The rules under which municipalities share content are listed under
[Legal basis of sharing](/rechtsgrundlagen/).
"""
    return de, en


def _datenschutz(betreiber: str, kontakt: str) -> tuple[str, str]:
    de = f"""\
# Verantwortlicher

{betreiber}, {ANSCHRIFT}, E-Mail: [{kontakt}](mailto:{kontakt})

# Datenschutzbeauftragte

Die behördliche Datenschutzbeauftragte des Wissensverbunds erreichen Sie unter der Anschrift
oben mit dem Zusatz „Datenschutzbeauftragte“ oder per E-Mail an
[{DATENSCHUTZ_EMAIL}](mailto:{DATENSCHUTZ_EMAIL}).

# Zwecke und Rechtsgrundlagen

Das Portal dient den beteiligten Kommunen dazu, Projekte und Studienergebnisse miteinander zu
teilen. Es wird nur von Beschäftigten der Kommunen mit einem Konto genutzt; öffentlich
freigegebene Inhalte kann jede Person ohne Anmeldung lesen.

- Konten, Freigaben, Zugangsanfragen und Nachnutzungsinteressen: zur Erfüllung der Aufgaben der
  Kommunen, Art. 6 Abs. 1 UAbs. 1 lit. e DSGVO i. V. m. Art. 4 Abs. 1 BayDSG.
- Protokoll der Entscheidungen und Lesezugriffe: Nachweis der Rechenschaftspflicht und Sicherheit
  der Verarbeitung, Art. 5 Abs. 2 und Art. 32 DSGVO i. V. m. Art. 6 Abs. 1 UAbs. 1 lit. e DSGVO.
- Server-Protokolle und fehlgeschlagene Anmeldeversuche: Sicherheit der Verarbeitung,
  Art. 32 DSGVO i. V. m. Art. 6 Abs. 1 UAbs. 1 lit. e DSGVO.
- Technisch notwendige Cookies: § 25 Abs. 2 Nr. 2 TDDDG.

Was das Portal im Einzelnen speichert und wie lange das Protokoll die Person eines Lesezugriffs
nennt, steht im Abschnitt „Verarbeitung im Portal im Einzelnen“ unten.

# Empfänger

Stellen Sie eine Zugangsanfrage oder bekunden Sie Interesse an der Nachnutzung eines Projekts,
erhält die Kommune, der das Projekt oder Ergebnis gehört, Ihren Namen, Ihre dienstliche
E-Mail-Adresse, Ihre Kommune und Ihre Nachricht. Das Protokoll eines Objekts sehen die
Freigabe-Administratorinnen und -Administratoren der Kommune, der es gehört. Das Portal wird im
Rechenzentrum eines kommunalen IT-Dienstleisters betrieben, der im Auftrag verarbeitet
(Art. 28 DSGVO). Eine Übermittlung in Drittländer findet nicht statt.

# Speicherdauer

Konten werden gelöscht, wenn die Kommune das Ausscheiden einer Person meldet. Entscheidungen im
Protokoll bewahren die Kommunen nach ihrem Aktenplan auf.

# Ihre Rechte

Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16 DSGVO), Löschung
(Art. 17 DSGVO), Einschränkung der Verarbeitung (Art. 18 DSGVO) und Widerspruch (Art. 21 DSGVO).
Wenden Sie sich dazu an den Verantwortlichen oder an die Datenschutzbeauftragte.

# Beschwerde bei der Aufsichtsbehörde

Sie können sich bei der Aufsichtsbehörde beschweren (Art. 77 DSGVO). Für die bayerischen
Kommunen ist das der Bayerische Landesbeauftragte für den Datenschutz (BayLfD), Wagmüllerstraße
18, 80538 München, [www.datenschutz-bayern.de](https://www.datenschutz-bayern.de).
"""
    en = f"""\
# Controller

{betreiber}, {ANSCHRIFT}, e-mail: [{kontakt}](mailto:{kontakt})

# Data protection officer

You can reach the Wissensverbund's data protection officer at the address above, marked
"Datenschutzbeauftragte", or by e-mail at [{DATENSCHUTZ_EMAIL}](mailto:{DATENSCHUTZ_EMAIL}).

# Purposes and legal bases

The portal lets the participating municipalities share projects and study results with each
other. Only municipal staff with an account use it; content shared with the public can be read
by anyone without signing in.

- Accounts, sharing decisions, access requests and reuse interests: to perform the
  municipalities' tasks, Art. 6 (1) (e) GDPR in conjunction with Art. 4 (1) BayDSG.
- Audit log of decisions and reads: accountability and security of processing, Art. 5 (2) and
  Art. 32 GDPR in conjunction with Art. 6 (1) (e) GDPR.
- Server logs and failed sign-in attempts: security of processing, Art. 32 GDPR in conjunction
  with Art. 6 (1) (e) GDPR.
- Strictly necessary cookies: § 25 (2) no. 2 TDDDG.

What the portal stores in detail, and for how long the audit log names the person behind a
read, is set out in the section "Processing in the portal in detail" below.

# Recipients

If you send an access request or declare an interest in reusing a project, the municipality
that owns the project or result receives your name, your work e-mail address, your municipality
and your message. The audit log of an object is seen by the sharing administrators of the
municipality that owns it. The portal runs in the data centre of a municipal IT service
provider processing on our behalf (Art. 28 GDPR). No data is transferred to third countries.

# Retention

Accounts are deleted when the municipality reports that a person has left. Decisions in the
audit log are kept by the municipalities according to their filing plans.

# Your rights

You have the right of access (Art. 15 GDPR), rectification (Art. 16), erasure (Art. 17),
restriction of processing (Art. 18) and to object (Art. 21). Please contact the controller or
the data protection officer.

# Complaints to the supervisory authority

You may lodge a complaint with the supervisory authority (Art. 77 GDPR). For Bavarian
municipalities this is the Bavarian Data Protection Commissioner (Der Bayerische
Landesbeauftragte für den Datenschutz, BayLfD), Wagmüllerstraße 18, 80538 München,
[www.datenschutz-bayern.de](https://www.datenschutz-bayern.de).
"""
    return de, en


def _barrierefreiheit(betreiber: str, kontakt: str) -> tuple[str, str]:
    de = f"""\
{betreiber} ist bemüht, dieses Portal im Einklang mit Art. 14 des Bayerischen
Behindertengleichstellungsgesetzes (BayBGG) und der Bayerischen Digitalverordnung (BayDiV)
barrierefrei zugänglich zu machen. Maßstab sind die Anforderungen der Barrierefreie-
Informationstechnik-Verordnung (BITV 2.0) und der harmonisierten Norm EN 301 549 (WCAG 2.1,
Stufe AA). Diese Erklärung gilt für das Portal Wissensverbund.

# Stand der Vereinbarkeit mit den Anforderungen

Dieses Portal ist wegen der folgenden Unvereinbarkeiten **teilweise vereinbar** mit der BITV 2.0.

# Nicht barrierefreie Inhalte

- Dokumente, die die Kommunen hochladen (z. B. PDF-Studien von Auftragnehmern, Office-Dateien),
  sind nicht in jedem Fall barrierefrei: Struktur, Lesereihenfolge und Alternativtexte fehlen
  teilweise. Auf Anfrage stellt die Kommune, der das Dokument gehört, eine zugängliche Fassung
  bereit, soweit ihr das möglich ist.
- Erläuterungen zum Portal in Deutscher Gebärdensprache und in Leichter Sprache fehlen noch.
- Beschreibungen von Projekten und Ergebnissen gibt es nur in der Sprache, in der die Kommune
  sie verfasst hat (meist Deutsch); die englische Fassung übersetzt nur die Bedienoberfläche.
- Der Verwaltungsbereich des Plattformbetriebs ist nicht geprüft; er ist Beschäftigten des
  Betriebs vorbehalten.

# Erstellung dieser Erklärung

Die Erklärung beruht auf einer Selbstbewertung: Jede Seite des Portals wird bei jeder Änderung
automatisiert mit axe-core auf die Kriterien der WCAG 2.1 (Stufen A und AA) und auf sichtbaren
Tastaturfokus geprüft; dazu kommen Prüfungen von Hand mit Tastatur und Bildschirmleser. Ein
vollständiger BITV-Test durch eine unabhängige Prüfstelle steht aus.

# Feedback und Kontakt

Sind Ihnen Mängel aufgefallen, oder benötigen Sie Inhalte in einer barrierefreien Form?
Schreiben Sie uns: [{kontakt}](mailto:{kontakt}?subject=Barrierefreiheit)

# Durchsetzungsverfahren

Bleibt Ihre Rückmeldung innerhalb von sechs Wochen ganz oder teilweise unbeantwortet oder
unbefriedigend, können Sie sich an die Durchsetzungsstelle wenden:

Landesamt für Digitalisierung, Breitband und Vermessung – Durchsetzungs- und
Überwachungsstelle für barrierefreie Informationstechnik (§ 11 BayDiV), Alexandrastraße 4,
80538 München.
"""
    en = f"""\
{betreiber} is committed to making this portal accessible in accordance with Art. 14 of the
Bavarian Disability Equality Act (BayBGG) and the Bavarian Digital Regulation (BayDiV). The
benchmark is the German Barrier-Free Information Technology Ordinance (BITV 2.0) and the
harmonised standard EN 301 549 (WCAG 2.1, level AA). This statement applies to the
Wissensverbund portal.

# Compliance status

Because of the non-compliances listed below, this portal is **partially compliant** with
BITV 2.0.

# Non-accessible content

- Documents uploaded by the municipalities (e.g. PDF studies by contractors, office files) are
  not always accessible: structure, reading order and text alternatives are partly missing. On
  request, the municipality that owns a document provides an accessible version where it can.
- Explanations of the portal in German Sign Language and in Easy Language are still missing.
- Descriptions of projects and results exist only in the language the municipality wrote them
  in (mostly German); the English version translates the user interface only.
- The operator's administration area has not been tested; it is reserved for the operator's
  staff.

# Preparation of this statement

This statement is based on a self-assessment: every page of the portal is tested automatically
with axe-core against WCAG 2.1 (levels A and AA) and for a visible keyboard focus on every
change, complemented by manual checks with keyboard and screen reader. A full BITV test by an
independent testing body is still outstanding.

# Feedback and contact

Have you noticed any barriers, or do you need content in an accessible form? Write to us:
[{kontakt}](mailto:{kontakt}?subject=Barrierefreiheit)

# Enforcement procedure

If your feedback remains wholly or partly unanswered or unsatisfactory after six weeks, you can
contact the enforcement body:

Landesamt für Digitalisierung, Breitband und Vermessung – Durchsetzungs- und
Überwachungsstelle für barrierefreie Informationstechnik (§ 11 BayDiV), Alexandrastraße 4,
80538 München.
"""
    return de, en


def demo_rechtstexte(*, von) -> int:
    """Create the legal pages the operator has not written yet; returns how many were new.
    Texts already there (the operator's own) are never overwritten."""
    betreiber, kontakt = settings.PORTAL_BETREIBER, settings.PORTAL_KONTAKT_EMAIL
    texte = {
        RechtstextArt.IMPRESSUM: (_impressum(betreiber, kontakt), {}),
        RechtstextArt.DATENSCHUTZ: (_datenschutz(betreiber, kontakt), {}),
        RechtstextArt.BARRIEREFREIHEIT: (
            _barrierefreiheit(betreiber, kontakt),
            {"erklaerung_vom": ERKLAERUNG_VOM, "geprueft_am": GEPRUEFT_AM},
        ),
    }
    neu = 0
    for art, ((de, en), daten) in texte.items():
        if Rechtstext.objects.filter(art=art).exists():
            continue
        rechtstext_speichern(
            rechtstext=Rechtstext(art=art, text_de=de, text_en=en, **daten), von=von
        )
        neu += 1
    return neu
