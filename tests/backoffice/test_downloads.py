"""backoffice/downloads.py: the one response of every file handed out."""
import pytest

from backoffice.downloads import download, safe_name


@pytest.mark.parametrize("given, kept", [
    ("../../etc/passwd.png", "passwd.png"),
    ("..\\..\\boot.ini", "boot.ini"),
    ('a"b\r\nX-Evil: 1.pdf', "abX-Evil: 1.pdf"),
    ("..", "fallback"),
    (".bashrc", "bashrc"),
    ("", "fallback"),
    (None, "fallback"),
    ("प्रमाण पत्र.pdf", "प्रमाण पत्र.pdf"),
])
def test_a_file_name_keeps_only_its_last_part_without_control_characters(given, kept):
    assert safe_name(given, "fallback") == kept


def test_a_hindi_name_is_written_as_rfc_5987_with_an_ascii_fallback(app):
    with app.test_request_context():
        response = download(b"%PDF-", "application/pdf", "dir/प्रमाण.pdf")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=.pdf; filename*=UTF-8''%E0%A4%AA%E0%A5%8D%E0%A4%B0%E0%A4%AE%E0%A4%BE%E0%A4%A3.pdf")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
