"""Our own 404 and 500 pages (backoffice/errors.py): in the reader's language, with no stack trace."""
import pytest


@pytest.mark.parametrize("lang, words", [("en", "Page not found"), ("hi", "पृष्ठ नहीं मिला")])
def test_a_missing_page_is_ours_in_the_readers_language(client, lang, words):
    page = client.get(f"/no/such/page?lang={lang}")
    body = page.get_data(as_text=True)
    assert page.status_code == 404 and words in body
    assert "The requested URL was not found" not in body  # Werkzeug's English page


@pytest.mark.parametrize("lang, words", [("en", "Something went wrong"), ("hi", "कुछ गड़बड़ हो गई")])
def test_an_unexpected_error_is_ours_without_a_stack_trace(app, lang, words):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test-boom")
    def boom():
        raise RuntimeError("secret detail from deep inside")

    page = app.test_client().get(f"/test-boom?lang={lang}")
    body = page.get_data(as_text=True)
    assert page.status_code == 500 and words in body
    assert "secret detail" not in body and "Traceback" not in body and "Internal Server Error" not in body
