"""A layout process: lays out one part of a report at a time with WeasyPrint and sends back its
PDF. Started by reporting.layout as `python -m reporting.layout_worker`; it imports WeasyPrint
and nothing of Django, holds no database connection, and exits when its parent closes the pipe.

Each message, both ways, is a pickled dict behind its length (8 bytes, big-endian) on stdin and
stdout. In: {"base_url", "html", "under", "furniture"}: a part's HTML to lay out, or its PDF
already laid out (`under`), and the HTML of its furniture to draw over its pages, if any.
Out: {"pdf", "pages", "anchors", "links", "bookmarks", "furnished", "peak_kb", "cpu_seconds"},
or {"error", "peak_kb", "cpu_seconds"}. Positions are in PDF points from the page's bottom
left: `anchors` maps each element id to (page index, x, y); `links` are the internal links to
ids the part does not hold, as (page index, id, rectangle), for the joined document to resolve;
`bookmarks` is WeasyPrint's tree; `furnished` says whether the furniture was drawn (its sheets
matched the pages).
"""

import gc
import logging
import os
import pickle
import resource
import struct
import sys

HEADER = struct.Struct(">Q")
PT_PER_PX = 0.75


def read_message(stream):
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    size = HEADER.unpack(header)[0]
    return pickle.loads(stream.read(size))


def write_message(stream, message):
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _ElsewhereAnchors(logging.Filter):
    """A link to another part's anchor is resolved when the parts are joined: no error."""

    def filter(self, record):
        return not str(record.msg).startswith("No anchor #")


def lay_out(base_url, html=None, under=None, furniture=None):
    from weasyprint import HTML

    # The collector would walk a part's whole box tree again and again while it is built, for
    # cycles that are freed in one sweep afterwards (a part's memory is bounded by its size).
    gc.disable()
    try:
        reply = {"pdf": under}
        if html is not None:
            reply = _written(HTML(string=html, base_url=base_url).render())
        if furniture is not None:
            from reporting.pdf_join import stamp

            sheets = HTML(string=furniture, base_url=base_url).render()
            # Sheets for another count of pages (the contents page grew): the parent asks again.
            reply["furnished"] = len(sheets.pages) == reply.get("pages", len(sheets.pages))
            if reply["furnished"]:
                reply["pdf"] = stamp(reply["pdf"], sheets.write_pdf())
            reply.setdefault("pages", len(sheets.pages))
        return reply
    finally:
        gc.enable()
        gc.collect()


def _point(page, x, y):
    return x * PT_PER_PX, (page.height - y) * PT_PER_PX


def _written(document):
    anchors, links = {}, []
    for index, page in enumerate(document.pages):
        for name, (x, y, _, _) in page.anchors.items():
            anchors.setdefault(name, (index, *_point(page, x, y)))
    for index, page in enumerate(document.pages):
        for kind, target, (x1, y1, x2, y2), _ in page.links:
            if kind == "internal" and target not in anchors:
                links.append((index, target, (*_point(page, x1, y2), *_point(page, x2, y1))))
    return {
        "pdf": document.write_pdf(),
        "pages": len(document.pages),
        "anchors": anchors,
        "links": links,
        "bookmarks": document.make_bookmark_tree(scale=PT_PER_PX, transform_pages=True),
    }


def serve(requests, replies):
    import weasyprint  # noqa: F401 - loaded before the first part, while the parent works

    logging.getLogger("weasyprint").addFilter(_ElsewhereAnchors())
    while (job := read_message(requests)) is not None:
        started = cpu_seconds()
        try:
            reply = lay_out(**job)
        except Exception as exc:  # the parent fails the build and says which part
            reply = {"error": f"{exc.__class__.__name__}: {exc}"}
        reply["peak_kb"] = peak_kb()
        reply["cpu_seconds"] = cpu_seconds() - started
        write_message(replies, reply)


def main():
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    # Nothing else may write to the replies: stdout, Python's and C's, goes to stderr.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    serve(requests, replies)


if __name__ == "__main__":
    main()
