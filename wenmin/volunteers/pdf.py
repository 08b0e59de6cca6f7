"""A certificate as a PDF (A4): reportlab with its built-in Chinese CID font, no font file."""

from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def certificate_pdf(
    *,
    title: str,
    lines: list[tuple[str, str]],
    services: list[list[str]],
    headings: list[str],
    footer: str,
    verify_url: str,
) -> bytes:
    """The PDF: a title, label–value lines, the services as a table, a footer and the QR code
    of the public verification page."""
    font = _font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    page.setTitle(title)
    page.setFont(font, 20)
    page.drawCentredString(width / 2, height - 30 * mm, title)
    y = height - 48 * mm
    page.setFont(font, 12)
    for label, value in lines:
        page.drawString(25 * mm, y, f"{label}：{value}")
        y -= 8 * mm
    y -= 4 * mm
    columns = (25 * mm, 55 * mm, 140 * mm, 170 * mm)
    page.setFont(font, 11)
    for x, text in zip(columns, headings, strict=True):
        page.drawString(x, y, text)
    y -= 7 * mm
    page.setFont(font, 10)
    for row in services:
        if y < 60 * mm:
            page.showPage()
            page.setFont(font, 10)
            y = height - 25 * mm
        for x, text in zip(columns, row, strict=True):
            page.drawString(x, y, text[:40])
        y -= 6 * mm
    qr = QrCodeWidget(verify_url)
    x1, y1, x2, y2 = qr.getBounds()
    size = 35 * mm
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, page, width - 25 * mm - size, 18 * mm)
    page.setFont(font, 10)
    page.drawString(25 * mm, 30 * mm, footer)
    page.drawString(25 * mm, 24 * mm, verify_url[:90])
    page.showPage()
    page.save()
    return buffer.getvalue()
