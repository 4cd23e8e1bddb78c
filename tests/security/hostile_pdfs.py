"""Hostile PDFs, written byte by byte, for the bounds of the public verification."""

from __future__ import annotations

import io
import struct
import zlib

SIGNATURE_VALUE = (b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
                   b"/ByteRange [0 10 20 10] /Contents <" + b"00" * 64 + b"> >>")


def build(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF with a classic cross-reference table; objects[i] is object number i + 1."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, root, xref))
    return out.getvalue()


def stream(dictionary: bytes, data: bytes) -> bytes:
    return (b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data
            + b"\nendstream")


def many_signatures(count: int) -> bytes:
    """count filled signature fields (unverifiable ones: they only need to be counted)."""
    first_field = 4
    fields = b" ".join(b"%d 0 R" % (first_field + 2 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Fields [" + fields + b"] /SigFlags 3 >>",
    ]
    for i in range(count):
        objects.append(b"<< /FT /Sig /T (Signature%d) /V %d 0 R >>" % (i, first_field + 2 * i + 1))
        objects.append(SIGNATURE_VALUE)
    return build(objects)


def declared_pages(count: int) -> bytes:
    return build([b"<< /Type /Catalog /Pages 2 0 R >>",
                  b"<< /Type /Pages /Kids [] /Count %d >>" % count])


def nested_fields(depth: int) -> bytes:
    """A signature field at the bottom of depth levels of /Kids."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>",
               b"<< /Type /Pages /Kids [] /Count 0 >>",
               b"<< /Fields [4 0 R] >>"]
    for level in range(depth):
        objects.append(b"<< /T (n%d) /Kids [%d 0 R] >>" % (level, 5 + level))
    objects.append(b"<< /FT /Sig /T (Signature) /V %d 0 R >>" % (5 + depth))
    objects.append(SIGNATURE_VALUE)
    return build(objects)


def nested_arrays(depth: int) -> bytes:
    return build([b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * depth + b"]" * depth + b" >>",
                  b"<< /Type /Pages /Kids [] /Count 0 >>"])


def object_stream_bomb(decoded_bytes: int) -> bytes:
    """The AcroForm lives in an object stream that inflates to decoded_bytes (a zip bomb),
    found through a cross-reference stream."""
    payload = b"4 0 << /Fields [] >>" + b" " * (decoded_bytes - 20)
    compressed = zlib.compress(payload, 9)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    bodies = {
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>",
        2: b"<< /Type /Pages /Kids [] /Count 0 >>",
        3: stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", compressed),
    }
    for number, body in bodies.items():
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref_offset = out.tell()
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (1, 2, 3)]
    rows.append(struct.pack(">BIH", 2, 3, 0))  # object 4: first in object stream 3
    rows.append(struct.pack(">BIH", 1, xref_offset, 0))  # object 5: this stream
    table = b"".join(rows)
    out.write(b"5 0 obj\n" + stream(b"/Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R", table)
              + b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset)
    return out.getvalue()
