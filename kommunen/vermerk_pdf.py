"""The Freigabevermerk as PDF: a memo's content (`Freigabevermerk.inhalt`) drawn with reportlab.

Pure: content in, bytes out; no database, no storage. The same content gives the same bytes
(reportlab's invariant mode leaves out the creation time and a random document id), so a
memo drawn again later has the same SHA-256.

German text needs a font with the glyphs: DejaVu Sans (Debian's fonts-dejavu-core, installed
in the image) is embedded where it exists; otherwise Helvetica, whose WinAnsi encoding still
carries umlauts, ß, „quotes“ and the en dash.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
SCHRIFT, SCHRIFT_FETT = "Helvetica", "Helvetica-Bold"


def _schriften(ordner: Path) -> tuple[str, str]:
    """The fonts to use: DejaVu Sans from `ordner` (registered once per process), or
    Helvetica when it is not installed there."""
    normal, fett = ordner / "DejaVuSans.ttf", ordner / "DejaVuSans-Bold.ttf"
    if not (normal.is_file() and fett.is_file()):
        return SCHRIFT, SCHRIFT_FETT
    if "VermerkSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("VermerkSans", str(normal)))
        pdfmetrics.registerFont(TTFont("VermerkSans-Bold", str(fett)))
    return "VermerkSans", "VermerkSans-Bold"


def _stile(normal: str, fett: str) -> dict[str, ParagraphStyle]:
    basis = ParagraphStyle("basis", fontName=normal, fontSize=9.5, leading=12.5, alignment=TA_LEFT)
    return {
        "basis": basis,
        "klein": ParagraphStyle("klein", parent=basis, fontSize=8, leading=10),
        "fett": ParagraphStyle("fett", parent=basis, fontName=fett),
        "titel": ParagraphStyle("titel", parent=basis, fontName=fett, fontSize=15, leading=19),
        "kopf": ParagraphStyle(
            "kopf", parent=basis, fontName=fett, fontSize=11, leading=14, spaceBefore=8
        ),
    }


def _p(text, stil: ParagraphStyle) -> Paragraph:
    # Paragraph reads a small XML markup: what people typed is escaped, line breaks kept.
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), stil)


def _tabelle(zeilen: list, stile: dict) -> Table:
    daten = [[_p(label, stile["fett"]), _p(wert, stile["basis"])] for label, wert in zeilen]
    tabelle = Table(daten, colWidths=[60 * mm, None], hAlign="LEFT")
    tabelle.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return tabelle


def regel_saetze(regel: dict) -> list[str]:
    """A checked rule in sentences, each ending with its id: „… (Regel VERBUND-1)“."""
    bezug = f"(Regel {regel['id']})"
    if not regel["meldungen"]:
        return [f"{regel['wann']}: keine Beanstandung {bezug}"]
    return [f"{regel['wann']}: {regel['ergebnis']} – {m} {bezug}" for m in regel["meldungen"]]


def zeichnen(inhalt: dict, *, schriftordner: Path = DEJAVU) -> bytes:
    """The memo as PDF bytes."""
    normal, fett = _schriften(schriftordner)
    stile = _stile(normal, fett)
    puffer = io.BytesIO()
    fuss = (
        f"Freigabevermerk zu Freigabe Nr. {inhalt['freigabe_nr']} · "
        f"Protokoll-Nr. {inhalt['protokoll_nr']} · {inhalt['eigentuemer']}"
    )

    def seite(canvas, doc):
        canvas.saveState()
        canvas.setFont(normal, 7.5)
        canvas.drawString(18 * mm, 10 * mm, fuss)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Seite {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        puffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=inhalt["titel"],
        author=inhalt["eigentuemer"],
        subject=f"Freigabe Nr. {inhalt['freigabe_nr']}: {inhalt['objekt_titel']}",
        creator="Wissensverbund",
        lang="de-DE",
        invariant=1,
    )
    teile: list = [
        _p(inhalt["eigentuemer"], stile["klein"]),
        _p(inhalt["titel"], stile["titel"]),
        _p(inhalt["untertitel"], stile["basis"]),
        Spacer(1, 4 * mm),
    ]
    for abschnitt in inhalt["abschnitte"]:
        if not abschnitt["zeilen"]:
            continue
        teile.append(KeepTogether([_p(abschnitt["titel"], stile["kopf"]), Spacer(1, 1.5 * mm)]))
        teile.append(_tabelle(abschnitt["zeilen"], stile))
    teile.append(_p("Geprüfte Regeln", stile["kopf"]))
    teile.append(_p(inhalt["regeln_hinweis"], stile["klein"]))
    teile.append(Spacer(1, 1.5 * mm))
    teile.append(
        ListFlowable(
            [
                ListItem(_p(satz, stile["basis"]), leftIndent=10)
                for regel in inhalt["regeln"]
                for satz in regel_saetze(regel)
            ],
            bulletType="bullet",
            bulletFontName=normal,
            bulletFontSize=7,
            leftIndent=10,
        )
    )
    teile.append(Spacer(1, 6 * mm))
    teile.append(_p(inhalt["schluss"], stile["klein"]))
    doc.build(teile, onFirstPage=seite, onLaterPages=seite)
    return puffer.getvalue()
