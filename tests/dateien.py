"""Tiny real files for upload and extraction tests, built with the standard library."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(*seiten: str) -> bytes:
    """A valid PDF 1.4 with one page per argument, Helvetica, with a correct xref table."""
    seiten = seiten or ("Leer",)
    n = len(seiten)
    # 1 catalog, 2 pages, 3 font, then per page: page object and content stream.
    objekte: list[bytes] = []
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objekte.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objekte.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    objekte.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for i, text in enumerate(seiten):
        inhalt = f"BT /F1 12 Tf 72 720 Td ({_pdf_text(text)}) Tj ET".encode("cp1252")
        objekte.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objekte.append(
            b"<< /Length " + str(len(inhalt)).encode() + b" >>\nstream\n" + inhalt + b"\nendstream"
        )
    aus = io.BytesIO()
    aus.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    versatz = []
    for nr, obj in enumerate(objekte, start=1):
        versatz.append(aus.tell())
        aus.write(f"{nr} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = aus.tell()
    aus.write(f"xref\n0 {len(objekte) + 1}\n0000000000 65535 f \n".encode())
    for v in versatz:
        aus.write(f"{v:010d} 00000 n \n".encode())
    aus.write(
        f"trailer\n<< /Size {len(objekte) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return aus.getvalue()


def pdf_verschluesselt(text: str = "geheim") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for seite in PdfReader(io.BytesIO(pdf(text))).pages:
        writer.add_page(seite)
    writer.encrypt(user_password="passwort", owner_password="passwort", algorithm="RC4-128")
    aus = io.BytesIO()
    writer.write(aus)
    return aus.getvalue()


def _zip(teile: dict[str, str | bytes], *, erst: str | None = None, verschluesselt=False) -> bytes:
    aus = io.BytesIO()
    with zipfile.ZipFile(aus, "w", zipfile.ZIP_DEFLATED) as zf:
        namen = list(teile)
        if erst:
            namen.remove(erst)
            namen.insert(0, erst)
        for name in namen:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            daten = teile[name]
            zf.writestr(info, daten.encode() if isinstance(daten, str) else daten)
    roh = bytearray(aus.getvalue())
    if verschluesselt:
        # zipfile cannot encrypt; setting the "encrypted" flag bit is what a checker sees.
        for signatur, versatz in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            pos = roh.find(signatur)
            while pos != -1:
                roh[pos + versatz] |= 0x1
                pos = roh.find(signatur, pos + 4)
    return bytes(roh)


CT = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def docx(*absaetze: str, doctype: bool = False, **kw) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{a}</w:t></w:r></w:p>" for a in absaetze)
    kopf = '<?xml version="1.0"?>'
    if doctype:
        kopf += '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    return _zip(
        {
            "[Content_Types].xml": CT,
            "word/document.xml": (
                f'{kopf}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
            ),
        },
        **kw,
    )


def xlsx(*zellen: str) -> bytes:
    si = "".join(f"<si><t>{z}</t></si>" for z in zellen)
    return _zip(
        {
            "[Content_Types].xml": CT,
            "xl/workbook.xml": f'<workbook xmlns="{S}"/>',
            "xl/sharedStrings.xml": f'<sst xmlns="{S}">{si}</sst>',
            "xl/worksheets/sheet1.xml": (
                f'<worksheet xmlns="{S}"><sheetData><row><c t="inlineStr">'
                "<is><t>Inline-Zelle</t></is></c></row></sheetData></worksheet>"
            ),
        }
    )


def pptx(*folien: str) -> bytes:
    teile = {"[Content_Types].xml": CT, "ppt/presentation.xml": "<p:presentation/>"}
    for i, text in enumerate(folien, start=1):
        teile[f"ppt/slides/slide{i}.xml"] = (
            f'<p:sld xmlns:p="p" xmlns:a="{A}"><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:sld>'
        )
    return _zip(teile)


ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
T = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def odf(art: str, *absaetze: str) -> bytes:
    body = "".join(f"<text:p>{a}</text:p>" for a in absaetze)
    return _zip(
        {
            "mimetype": ODF[art],
            "content.xml": (
                f'<office:document-content xmlns:office="o" xmlns:text="{T}">'
                f"<office:body>{body}</office:body></office:document-content>"
            ),
            "META-INF/manifest.xml": "<manifest/>",
        },
        erst="mimetype",
    )


def zip_bombe() -> bytes:
    """An OOXML-looking archive whose one part unpacks to 30 MB of zeros (ratio ~1000:1)."""
    return _zip({"[Content_Types].xml": CT, "word/document.xml": b"\0" * (30 * 1024 * 1024)})


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, inhalt: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, inhalt, content_type=content_type)


# --- scans: text drawn into pixels, no text layer -----------------------------------------

SCHRIFT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Debian fonts-dejavu-core


def scan_bild(*zeilen: str, dpi: int = 100, punkt: int = 14):
    """A greyscale page, A5 wide, with `zeilen` set in DejaVu Sans at `punkt` size: what a
    scanner at `dpi` would see. Umlauts and ß are drawn like any other letter."""
    from PIL import Image, ImageDraw, ImageFont

    schrift = ImageFont.truetype(SCHRIFT, round(dpi * punkt / 72))
    breite = round(dpi * 5.8)
    zeilenhoehe = round(dpi * punkt * 1.6 / 72)
    hoehe = round(dpi * 0.8) * 2 + zeilenhoehe * max(len(zeilen), 1)
    bild = Image.new("L", (breite, hoehe), 255)
    zeichnen = ImageDraw.Draw(bild)
    for nr, zeile in enumerate(zeilen):
        zeichnen.text((round(dpi * 0.6), round(dpi * 0.8) + nr * zeilenhoehe), zeile, 0, schrift)
    return bild


def scan_pdf(*seiten: tuple[str, ...] | str, dpi: int = 100) -> bytes:
    """A PDF whose pages are only images of text (one page per argument), as a scanner
    writes it: pypdf finds no text in it."""
    bilder = [scan_bild(*((s,) if isinstance(s, str) else s), dpi=dpi) for s in seiten]
    aus = io.BytesIO()
    bilder[0].save(aus, "PDF", resolution=dpi, save_all=True, append_images=bilder[1:])
    return aus.getvalue()


def bilddatei(
    *zeilen: str, format: str = "PNG", dpi: int = 100, modus: str = "L", **optionen
) -> bytes:
    """One scanned page as an image file (PNG, JPEG, TIFF) that records its resolution;
    `modus` "1" for black and white (TIFF with fax compression, `compression="group4"`)."""
    aus = io.BytesIO()
    scan_bild(*zeilen, dpi=dpi).convert(modus).save(aus, format, dpi=(dpi, dpi), **optionen)
    return aus.getvalue()


def png_mit_groesse(breite: int, hoehe: int) -> bytes:
    """A tiny PNG that declares `breite` × `hoehe` pixels: a decompression bomb's header with
    one compressed row, built by hand (no library draws a picture this large)."""
    import struct
    import zlib

    def chunk(art: bytes, daten: bytes) -> bytes:
        inhalt = art + daten
        return struct.pack(">I", len(daten)) + inhalt + struct.pack(">I", zlib.crc32(inhalt))

    kopf = struct.pack(">IIBBBBB", breite, hoehe, 1, 0, 0, 0, 0)  # 1 bit greyscale
    zeile = zlib.compress(b"\x00" + b"\xff" * ((breite + 7) // 8))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", kopf) + chunk(b"IDAT", zeile) + chunk(b"IEND", b"")
