"""E-mail reader: headers and body as the document, attachments handed back as documents."""

from __future__ import annotations

from extract.limits import ReadLimits
from extract.read import read_document
from tests.readers import make_docx, make_mail, make_pdf
from tests.readers.checks import consistent, flag_codes, kinds, norm

LIMITS = ReadLimits()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachments() -> tuple[bytes, bytes]:
    docx = make_docx.minutes_docx("MAPPA Level 3 Minutes", ["The panel met on 6 May 2025.", "Risk is very high."],
                                  [("Name", "Carl WEBB")], "OFFICIAL", "Page 1")
    pdf = make_pdf.prose_pdf("Prison release notification", ["Release date: 20 June 2025."])
    return docx, pdf


def test_covering_email_with_docx_and_pdf_attachments() -> None:
    docx, pdf = _attachments()
    data = make_mail.covering_email("MAPPA minutes - C WEBB - 6 May 2025",
                                    "Dear colleague,\r\n\r\nPlease find the minutes attached.\r\n\r\nRegards,\r\nMAPPA Unit",
                                    [("Minutes C WEBB.docx", docx, DOCX), ("Release notice.pdf", pdf, "application/pdf")])
    doc = consistent(read_document(data, "message.eml", LIMITS))
    assert doc.format == "eml"
    assert kinds(doc, "email_header")[:4] == ["From: mappa.coordinator@police.example.gov.uk",
                                              "To: mappa.admin@council.example.gov.uk",
                                              "Subject: MAPPA minutes - C WEBB - 6 May 2025",
                                              "Date: Tue, 04 Mar 2025 09:30:00 +0000"]
    assert "Please find the minutes attached." in kinds(doc, "paragraph")
    assert [(a.filename, a.origin) for a in doc.attachments] == [("Minutes C WEBB.docx", "email_attachment"),
                                                                  ("Release notice.pdf", "email_attachment")]
    assert doc.attachments[0].data == docx and doc.attachments[1].data == pdf
    minutes = consistent(read_document(doc.attachments[0].data, doc.attachments[0].filename, LIMITS))
    assert "Name | Carl WEBB" in minutes.text
    notice = consistent(read_document(doc.attachments[1].data, doc.attachments[1].filename, LIMITS))
    assert "Release date: 20 June 2025." in norm(notice.text)


def test_html_body_nested_message_and_inline_logo() -> None:
    nested = make_mail.simple_message("Release of C WEBB", "He will be released on 20 June 2025.")
    html = ("<html><head><style>p{color:red}</style><script>fetch('http://x')</script></head><body>"
            "<p>Dear team,</p><table><tr><td>Name</td><td>Carl WEBB</td></tr></table>"
            "<p>See the forwarded note.<br>Thanks</p><img src='cid:logo1'></body></html>")
    data = make_mail.covering_email("Fwd: release", "", [], html=html, nested=nested,
                                    inline_logo=b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    doc = consistent(read_document(data, "fwd.eml", LIMITS))
    text = doc.text
    assert "Dear team," in text and "Name | Carl WEBB" in text and "See the forwarded note.\nThanks" in text
    assert "fetch" not in text and "color" not in text
    assert [(a.origin, a.filename) for a in doc.attachments] == [("nested_message", "Release of C WEBB-1.eml")]
    inner = consistent(read_document(doc.attachments[0].data, doc.attachments[0].filename, LIMITS))
    assert inner.format == "eml" and "He will be released on 20 June 2025." in inner.text
    assert "inline_images" in flag_codes(doc)


def test_attachment_limit_is_respected_and_flagged() -> None:
    files = [(f"note{i}.txt", f"Note number {i}".encode(), "text/plain") for i in range(5)]
    data = make_mail.covering_email("Many notes", "Body text.", files)
    doc = consistent(read_document(data, "many.eml", ReadLimits(max_attachments=3)))
    assert len(doc.attachments) == 3
    assert "attachments_skipped" in flag_codes(doc, review=True)


def test_outlook_msg_with_attachments() -> None:
    from tests.readers import make_msg

    docx, pdf = _attachments()
    data = make_msg.outlook_msg("MAPPA minutes - C WEBB", "Please find the minutes attached.\r\n\r\nMAPPA Unit",
                                "MAPPA Unit", "Children's Services Admin",
                                [("Minutes C WEBB.docx", docx), ("Release notice.pdf", pdf)])
    doc = consistent(read_document(data, "message.msg", LIMITS))
    assert doc.format == "msg"
    headers = kinds(doc, "email_header")
    assert "Subject: MAPPA minutes - C WEBB" in headers and "To: Children's Services Admin" in headers
    assert "Please find the minutes attached." in kinds(doc, "paragraph")
    assert [(a.filename, a.origin, a.data) for a in doc.attachments] == [
        ("Minutes C WEBB.docx", "email_attachment", docx), ("Release notice.pdf", "email_attachment", pdf)]
    minutes = consistent(read_document(doc.attachments[0].data, doc.attachments[0].filename, LIMITS))
    assert "Name | Carl WEBB" in minutes.text


def test_msg_named_eml_and_damaged_msg() -> None:
    from tests.readers import make_msg

    data = make_msg.outlook_msg("Subject line", "Body.", "A", "B", [])
    doc = consistent(read_document(data, "message.eml", LIMITS))
    assert doc.format == "msg" and "extension_mismatch" in flag_codes(doc)
    broken = read_document(data[:1500], "message.msg", LIMITS)
    assert not isinstance(broken, type(doc)) and broken.code == "corrupt"
