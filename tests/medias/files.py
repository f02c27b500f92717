"""Small files the tests make themselves: images, sounds, videos, documents, transcripts."""

import functools
import io
import math
import os
import struct
import wave
import zipfile

import av
import numpy as np
from PIL import Image


def jpeg(width=640, height=480, exif_gps=True, orientation=6) -> bytes:
    image = Image.new("RGB", (width, height), (200, 80, 40))
    for x in range(0, width, 40):  # some detail so that the encoder has work to do
        image.paste((x % 255, 120, 200), (x, 0, x + 20, height))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    if exif_gps:
        exif[0x8825] = {1: "N", 2: (50.0, 30.0, 0.0), 3: "E", 4: (2.0, 33.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=85)
    return buffer.getvalue()


def png(width=64, height=48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 255, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def png_with_huge_declared_size() -> bytes:
    """A valid small PNG whose IHDR claims 100000 x 100000 pixels."""
    import zlib

    data = bytearray(png(8, 8))
    ihdr = data.find(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", 100_000, 100_000)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17])) & 0xFFFFFFFF
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


def decompression_bomb() -> bytes:
    """A real 20000 x 20000 one-colour PNG: a few hundred KB that inflate to 1.2 GB."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def wav(seconds=2.0, rate=16_000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = int(seconds * rate)
        out.writeframes(
            b"".join(struct.pack("<h", int(8000 * math.sin(i / 8))) for i in range(frames))
        )
    return buffer.getvalue()


def spoken_wav(seconds=6.0, rate=16_000) -> bytes:
    """A WAV (PyAV) shaped like speech: tone bursts of varied loudness with pauses between, so
    that its waveform has peaks and valleys to see and to click."""
    samples = int(seconds * rate)
    time = np.arange(samples) / rate
    envelope = np.clip(np.sin(time * 2.3) * np.sin(time * 0.7 + 1), 0, None)
    tone = (np.sin(2 * np.pi * 220 * time) * envelope * 0.8).astype(np.float32)
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="wav") as container:
        stream = container.add_stream("pcm_s16le", rate=rate)
        stream.layout = "mono"
        for start in range(0, samples, 1024):
            part = tone[start : start + 1024]
            frame = av.AudioFrame.from_ndarray(part.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate, frame.pts = rate, start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def mp4_video(path, frames=20, rate=10, with_audio=True) -> None:
    with av.open(str(path), "w", format="mp4") as container:
        video = container.add_stream("mpeg4", rate=rate)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        audio = container.add_stream("aac", rate=48_000) if with_audio else None
        if audio:
            audio.layout = "mono"
        for index in range(frames):
            pixels = np.full((48, 64, 3), index * 10 % 255, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        if audio:
            samples = int(48_000 * frames / rate)
            for start in range(0, samples, 1024):
                tone = np.sin(np.arange(start, start + 1024) / 8).astype(np.float32) * 0.3
                frame = av.AudioFrame.from_ndarray(
                    tone.reshape(1, -1), format="fltp", layout="mono"
                )
                frame.sample_rate, frame.pts = 48_000, start
                container.mux(audio.encode(frame))
            container.mux(audio.encode(None))


def docx(paragraphs) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt(paragraphs) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for text in paragraphs:
        document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def pdf(text="Bonjour", javascript=False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Title": text})
    if javascript:
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hello');"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = action
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_text_and_picture(text: str) -> bytes:
    """A real PDF (WeasyPrint) with a line of text and a picture on its first page."""
    import base64

    from weasyprint import HTML

    picture = base64.b64encode(png(120, 90)).decode()
    html = f'<p>{text}</p><img src="data:image/png;base64,{picture}">'
    return HTML(string=html).write_pdf()


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF written by hand, object 1 its catalogue, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_with_escaped_javascript() -> bytes:
    """A PDF that runs a script when opened, its names spelt with #xx escapes: /J#61vaScript is
    /JavaScript and /J#53 is /JS to every PDF reader."""
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R"
            b" /OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >> >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> >>",
        ]
    )


@functools.cache
def padded_zip_bomb_docx() -> bytes:
    """A 1.7 MB DOCX whose document.xml inflates to 240 MB, padded with an incompressible
    1.3 MB picture so that the ratio of the whole archive (150) stays under 200 and its total
    under 300 MB: what passed the one-ratio check and took a worker to 1.45 GB."""
    base = zipfile.ZipFile(io.BytesIO(docx(["x"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in base.infolist():
            if item.filename != "word/document.xml":
                archive.writestr(item, base.read(item.filename))
        with archive.open("word/document.xml", "w") as member:
            chunk = b"<w:p/>" * (1 << 18)
            for _ in range(160):
                member.write(chunk)
        padding = zipfile.ZipInfo("word/media/image1.png")
        archive.writestr(padding, os.urandom(1_300_000), compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    """A DOCX-shaped archive whose document.xml inflates to 400 MB of zeros."""
    base = zipfile.ZipFile(io.BytesIO(docx(["x"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in base.infolist():
            if item.filename != "word/document.xml":
                archive.writestr(item, base.read(item.filename))
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(400):
                member.write(chunk)
    return buffer.getvalue()


WEBVTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Ophélie Langlais>Bonjour, je suis Ophélie Langlais, de la Maison des échanges.

00:00:04.500 --> 00:00:08.000
<v Marc>Nous sommes à Bruay-la-Buissière depuis 2019.
"""

PLAIN = """[00:12:03] Ophélie: Bonjour à tous.
la suite du même tour
Marc (00:12:10): Merci Ophélie Langlais.
[00:75:00] Personne: un temps impossible
[00:13:00] Ophélie: Fin.
"""
