"""DOCX bomb: what reading the words of a tiny, hostile statement costs.

A Word document whose `word/document.xml` is about 19 MB of empty paragraphs (`<w:p/>`),
compressed to about 29 KB: small enough to pass every upload check. The script builds it in
memory, then measures, each in a fresh process so that one figure does not disturb another:

- `check`: what the upload request does with the file (`checked_document`: what it is, by
  content, and what its container holds);
- `read`: reading its words for the search (`document_text`), where it happens;
- `read-4`: four reads at once, in four threads (four delegations uploading together).

For each: the wall time and the growth of the process's peak resident memory (`ru_maxrss`),
then, in another process (tracing slows Python down, so it is not timed), the peak of memory
Python allocated (tracemalloc).

    .venv/bin/python bench/docx_bomb.py            # all three
    .venv/bin/python bench/docx_bomb.py read       # one

See docs/performance.md for the figures.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import threading
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS = 3_200_000  # 6 bytes each: about 19 MB
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def bomb() -> bytes:
    """The bomb, a valid DOCX: [Content_Types].xml, _rels/.rels and word/document.xml."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{MAIN}"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{WORD}"><w:body>'.encode()
        + b"<w:p/>" * PARAGRAPHS
        + b"</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def measure(what: str, traced: bool) -> None:
    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agenda.statements.documents import checked_document

    try:
        from meetings.words import document_text
    except ImportError:  # the code before issue 11 (to measure it again)
        from agenda.statements.documents import document_text

    data = bomb()
    document_size = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size

    def check() -> None:
        checked_document(SimpleUploadedFile("bomb.docx", data))

    def read() -> None:
        document_text(data)

    def read_4() -> None:
        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    run = {"check": check, "read": read, "read-4": read_4}[what]
    if traced:
        tracemalloc.start()
        run()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{'':7} Python peak {peak / 2**20:.1f} MiB")
        return
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    print(
        f"{what:7} file {len(data) / 1024:.0f} KB (document.xml {document_size / 1e6:.1f} MB): "
        f"{seconds:.2f} s, resident peak +{rss_growth / 1024:.0f} MiB"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--in-process":
        measure(sys.argv[2], traced=sys.argv[3:] == ["--traced"])
        return
    for what in sys.argv[1:] or ["check", "read", "read-4"]:
        # A fresh process for each figure: the resident peak is the process's own.
        for extra in ([], ["--traced"]):
            command = [sys.executable, __file__, "--in-process", what, *extra]
            subprocess.run(command, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
