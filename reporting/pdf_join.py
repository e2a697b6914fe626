"""Drawing the furniture over a part's pages, and joining the parts into one PDF (pypdf).

Nothing here imports Django: the layout processes stamp their parts with it too. Pages are moved
whole, never parsed: the furniture of a page becomes a form XObject drawn after the page's own
content, and the links, outline and named destinations that a part could not resolve alone are
added once the parts are joined.
"""

import io
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    Fit,
    NameObject,
    NumberObject,
    TextStringObject,
)


def _stream(writer, data):
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream.flate_encode())


def stamp(pdf, furniture):
    """`pdf` with page i of `furniture` drawn over its page i."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    sheets = PdfReader(io.BytesIO(furniture)).pages
    if len(sheets) != len(writer.pages):
        raise ValueError(f"{len(sheets)} sheets of furniture for {len(writer.pages)} pages")
    save = _stream(writer, b"q\n")
    for index, (page, sheet) in enumerate(zip(writer.pages, sheets, strict=True)):
        form = DecodedStreamObject()
        form.set_data(sheet.get_contents().get_data())
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(NumberObject(v) for v in sheet.mediabox),
                NameObject("/Resources"): sheet.raw_get("/Resources").clone(writer),
            }
        )
        name = NameObject(f"/Furniture{index}")
        resources = page["/Resources"]
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"][name] = writer._add_object(form.flate_encode())
        contents = page.raw_get("/Contents")
        if isinstance(contents.get_object(), ArrayObject):
            contents = list(contents.get_object())
        else:
            contents = [contents]
        tail = _stream(writer, b"Q\nq " + name.encode() + b" Do Q\n")
        page[NameObject("/Contents")] = ArrayObject([save, *contents, tail])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class Joined:
    """What the joined document needs beyond the parts' pages, in its own page indexes."""

    anchors: dict = field(default_factory=dict)  # name → (page, x, y)
    links: list = field(default_factory=list)  # (page, anchor name, rect)
    bookmarks: list = field(default_factory=list)  # (label, (page, x, y), children, state)


def join(parts, joined, *, language):
    """One PDF of `parts` (PDF bytes, in order), with the metadata of the first, the document
    language, the outline of every part, and the links between parts resolved."""
    writer = PdfWriter()
    for index, pdf in enumerate(parts):
        reader = PdfReader(io.BytesIO(pdf))
        if index == 0 and reader.metadata:
            writer.add_metadata(dict(reader.metadata))
        for page in reader.pages:
            writer.add_page(page)
    writer.root_object[NameObject("/Lang")] = TextStringObject(language)
    for name, (page, _x, _y) in sorted(joined.anchors.items()):
        writer.add_named_destination(name, page)  # report.pdf#chapter-6 opens chapter 6
    for page, target, rect in joined.links:
        if target in joined.anchors:
            to_page, x, y = joined.anchors[target]
            writer.add_annotation(
                page,
                Link(rect=rect, target_page_index=to_page, fit=Fit.xyz(left=x, top=y)),
            )
    _outline(writer, joined.bookmarks, None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _outline(writer, bookmarks, parent):
    for label, (page, x, y), children, state in bookmarks:
        item = writer.add_outline_item(
            title=label,
            page_number=page,
            parent=parent,
            fit=Fit.xyz(left=x, top=y),
            is_open=state != "closed",
        )
        _outline(writer, children, item)
