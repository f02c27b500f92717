"""The report outline written as an OpenDocument text (odfpy): styled headings, bulleted lists,
embedded photos and a page break after the cover, so the client's word processor shows a
document to co-write rather than plain paragraphs."""

import io

from odf.draw import Frame
from odf.draw import Image as DrawImage
from odf.opendocument import OpenDocumentText
from odf.style import (
    GraphicProperties,
    ListLevelProperties,
    ParagraphProperties,
    Style,
    TextProperties,
)
from odf.text import H, List, ListItem, ListLevelStyleBullet, ListStyle, P

PHOTO_WIDTH_CM = 14.0


def _styles(doc):
    for level, size in [(1, "20pt"), (2, "16pt"), (3, "13pt")]:
        style = Style(
            name=f"Heading_20_{level}", family="paragraph", displayname=f"Heading {level}"
        )
        style.addElement(TextProperties(fontsize=size, fontweight="bold"))
        style.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
        doc.styles.addElement(style)
    bullets = ListStyle(name="Bullets")
    level = ListLevelStyleBullet(level=1, bulletchar="•")
    level.addElement(ListLevelProperties(spacebefore="0.4cm", minlabelwidth="0.5cm"))
    bullets.addElement(level)
    doc.automaticstyles.addElement(bullets)
    item = Style(name="ListParagraph", family="paragraph")
    item.addElement(ParagraphProperties(marginbottom="0.1cm"))
    doc.automaticstyles.addElement(item)
    page_break = Style(name="PageBreak", family="paragraph")
    page_break.addElement(ParagraphProperties(breakafter="page"))
    doc.automaticstyles.addElement(page_break)
    photo = Style(name="Photo", family="graphic")
    photo.addElement(GraphicProperties(wrap="none", horizontalpos="center"))
    doc.automaticstyles.addElement(photo)
    return bullets, photo


def _photo(doc, png: bytes, number: int, style):
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    href = doc.addPicture(f"Pictures/photo-{number}.png", "image/png", png)
    frame = Frame(
        stylename=style,
        anchortype="as-char",
        width=f"{PHOTO_WIDTH_CM}cm",
        height=f"{PHOTO_WIDTH_CM * height / width:.2f}cm",
    )
    frame.addElement(DrawImage(href=href))
    paragraph = P()
    paragraph.addElement(frame)
    return paragraph


def write_odt(blocks: list[tuple]) -> bytes:
    doc = OpenDocumentText()
    bullets, photo_style = _styles(doc)
    photos = 0
    for kind, *rest in blocks:
        if kind == "h":
            level, text = rest
            doc.text.addElement(H(outlinelevel=level, stylename=f"Heading_20_{level}", text=text))
        elif kind == "p":
            for line in str(rest[0]).splitlines() or [""]:
                doc.text.addElement(P(text=line))
        elif kind == "img":
            photos += 1
            doc.text.addElement(_photo(doc, rest[0], photos, photo_style))
        elif kind == "break":
            doc.text.addElement(P(stylename="PageBreak"))
        else:
            items = List(stylename=bullets)
            for text in rest[0]:
                entry = ListItem()
                entry.addElement(P(stylename="ListParagraph", text=str(text)))
                items.addElement(entry)
            doc.text.addElement(items)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()
