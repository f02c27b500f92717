"""Each processor as a pure function on files the tests make."""

import io
import json

import pytest
from PIL import Image

from medias.processors import ProcessingError, audio_video, documents, images, pseudonyms

from . import files


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_image_renditions_are_webp_without_exif_and_upright(tmp_path):
    output = images.process(write(tmp_path, "photo.jpg", files.jpeg(640, 480, orientation=6)))
    assert output.metadata["had_gps"] is True
    assert (output.metadata["width"], output.metadata["height"]) == (480, 640)  # turned upright
    assert [d.name for d in output.derived] == ["thumb-large", "thumb-medium", "thumb-small"]
    for derived in output.derived:
        rendition = Image.open(__import__("io").BytesIO(derived.content))
        assert rendition.format == "WEBP"
        assert not rendition.getexif()
        assert rendition.height > rendition.width
        assert derived.public
    small = output.derived[-1]
    assert max(small.metadata["width"], small.metadata["height"]) == 320


def test_a_truncated_image_fails_even_after_weasyprint_is_imported(tmp_path):
    # WeasyPrint sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True for the whole process on import;
    # a worker that has made a PDF must still refuse a truncated upload.
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # what WeasyPrint does, the condition tested
    with pytest.raises(ProcessingError, match="truncated"):
        images.process(write(tmp_path, "cut.jpg", files.jpeg()[:3000]))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as WeasyPrint wants it


def test_audio_gives_duration_rendition_and_waveform(tmp_path):
    output = audio_video.process(write(tmp_path, "son.wav", files.wav(seconds=2.0)))
    assert output.metadata["duration"] == pytest.approx(2.0, abs=0.05)
    names = {d.name: d for d in output.derived}
    assert set(names) == {"rendition-audio", "waveform"}
    peaks = json.loads(names["waveform"].content)
    assert 0 < len(peaks) <= audio_video.PEAKS and max(peaks) > 0.1
    with __import__("av").open(str(names["rendition-audio"].content)) as rendition:
        assert rendition.streams.audio[0].codec_context.name == "aac"


def test_video_gives_a_poster_frame(tmp_path):
    path = tmp_path / "film.mp4"
    files.mp4_video(path)
    output = audio_video.process(path)
    names = {d.name for d in output.derived}
    assert {"poster", "rendition-audio", "waveform"} <= names
    assert output.metadata["width"] == 64
    assert output.metadata["duration"] == pytest.approx(2.0, abs=0.2)


def test_pdf_text_pages_and_first_page_thumbnail(tmp_path):
    path = write(tmp_path, "rapport.pdf", files.pdf_with_text_and_picture("Coopération"))
    output = documents.process(path, context={"mime_type": "application/pdf"})
    assert output.metadata["pages"] == 1
    assert "Coopération" in output.text
    assert [d.name for d in output.derived] == ["thumb-first-page"]


def _dark_pixels(webp: bytes) -> int:
    with Image.open(io.BytesIO(webp)) as image:
        return sum(image.convert("L").histogram()[:128])


def test_pdf_thumbnail_is_the_rendered_first_page(tmp_path):
    from weasyprint import HTML

    # Text only, no picture: the page itself is drawn (A4, so 480 pixels high).
    raw = HTML(string="<h1>Rapport d'étape</h1><p>Coopération</p>" * 8).write_pdf()
    output = documents.process(write(tmp_path, "a4.pdf", raw))
    (thumbnail,) = output.derived
    assert (thumbnail.name, thumbnail.mime_type) == ("thumb-first-page", "image/webp")
    with Image.open(io.BytesIO(thumbnail.content)) as image:
        assert image.format == "WEBP"
        assert (
            image.size == (340, 480) == (thumbnail.metadata["width"], thumbnail.metadata["height"])
        )
    assert _dark_pixels(thumbnail.content) > 200  # the headings, not a blank page


def test_pdf_thumbnail_is_bounded_whatever_the_page_size(tmp_path):
    from weasyprint import HTML

    raw = HTML(string="<style>@page { size: 5000mm 100mm }</style><p>Large</p>").write_pdf()
    data, size = documents.first_page_thumbnail(raw)
    assert size["width"] == documents.THUMB_SIDE and size["height"] < 20


def test_pdf_thumbnail_respects_the_pixel_limit(settings):
    settings.MEDIA_MAX_IMAGE_PIXELS = 1000
    with pytest.raises(ProcessingError, match="pixels"):
        documents.first_page_thumbnail(files.pdf())


def test_a_broken_pdf_fails_with_a_reason(tmp_path):
    with pytest.raises(ProcessingError, match=r"The PDF is damaged") as refused:
        documents.first_page_thumbnail(files.pdf()[:200])
    # The library's words are the detail (for the log and the staff), not the person's sentence.
    assert refused.value.message == "The PDF is damaged." and "PDFium" in refused.value.detail
    with pytest.raises(ProcessingError, match="The PDF is damaged"):
        documents.process(write(tmp_path, "cut.pdf", files.pdf_with_text_and_picture("x")[:900]))


def test_docx_and_odt_text(tmp_path):
    docx = documents.process(write(tmp_path, "a.docx", files.docx(["Bonjour", "Au revoir"])))
    assert docx.text.splitlines()[:2] == ["Bonjour", "Au revoir"]
    odt = documents.process(
        write(tmp_path, "a.odt", files.odt(["Atelier métaplan"])),
        context={"mime_type": "application/vnd.oasis.opendocument.text"},
    )
    assert "Atelier métaplan" in odt.text


def test_pdf_with_javascript_is_refused(tmp_path):
    path = write(tmp_path, "js.pdf", files.pdf(javascript=True))
    with pytest.raises(ProcessingError, match="active content"):
        documents.process(path, context={"mime_type": "application/pdf"})


def test_pseudonyms_find_model_names_and_known_surnames():
    text = "Ophélie: Je travaille à Lille avec Marc.\nMarc: Oui, Ophélie Langlais a raison."
    found = pseudonyms.find_names(text, known=[("Ophélie Langlais", "PER")])
    assert found["Langlais"]["source"] == "known"
    assert found["Ophélie"]["occurrences"] == 2
    assert "Lille" in found and found["Lille"]["label"] == "LOC"
    mapping = pseudonyms.propose(found)
    replaced = pseudonyms.apply(text, mapping)
    assert "Ophélie" not in replaced and "Langlais" not in replaced
    assert replaced.count(mapping["Ophélie"]) == 2  # the same pseudonym each time


def test_the_pseudonym_a_consent_records_wins_over_a_proposed_one():
    text = "Chercheuse: Bonjour Ophélie.\nOphélie Langlais: Je suis à Lille. Langlais, c'est moi."
    found = pseudonyms.find_names(text, known=[("Ophélie Langlais", "PER", "Louise")])
    mapping = pseudonyms.propose(found)
    assert mapping["Ophélie"] == mapping["Langlais"] == mapping["Ophélie Langlais"] == "Louise"
    replaced = pseudonyms.apply(text, mapping)
    assert "Louise: Je suis" in replaced and "Louise Louise" not in replaced


def test_speaker_labels_are_never_suggested():
    text = (
        "Chercheuse: Comment est née la coopération à Lille ?\n"
        "Enquêteur: Et avec Marc ?\n"
        "Marc: Oui, la Chercheuse a raison sur ce point.\n"
    )
    found = pseudonyms.find_names(text)
    assert "Chercheuse" not in found and "Enquêteur" not in found
    assert found["Marc"]["label"] == "PER"  # a label that is a person's name is a name
    assert found["Lille"]["label"] == "LOC"
