"""The demo's story shows the public status page: interrupted while the interruption
linked to the ticket goes on, operational after, and the one published update."""

from __future__ import annotations


def test_the_story_tells_what_the_status_page_says(english: str) -> None:
    flat = " ".join(english.split())
    assert flat.index("The status page (GET /status) now says: Service interrupted.") < flat.index(
        "ticks “Publish on the status page”") < flat.index(
        "The status page (GET /status) now says: All systems operational.")
    ending = flat[flat.index("The status page says:"):]
    assert ending.startswith("The status page says: All systems operational; availability over the last 30 days: ")
    assert "“Workaround: sign in through SSO" in ending and "Login page returns 500" not in ending


def test_the_french_story_says_it_in_french(french: str) -> None:
    flat = " ".join(french.split())
    assert "La page d'état (GET /status) dit maintenant : Service interrompu." in flat
    assert "coche « Publier sur la page d'état »" in flat
