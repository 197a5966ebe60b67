"""The guestbook: a page of recent entries and a form to sign it."""

import re

import pytest
from asgiref.sync import async_to_sync
from django.db import IntegrityError
from django.urls import reverse

from guestbook.models import Entry
from guestbook.views import RECENT_ENTRIES

pytestmark = pytest.mark.django_db

INDEX = reverse("guestbook:index")


def sign(client, **fields):
    return client.post(INDEX, {"name": "Ada", "message": "Hello", **fields})


def test_the_page_lists_recent_entries_newest_first(client):
    Entry.objects.create(name="First", message="older")
    Entry.objects.create(name="Second", message="newer")
    page = client.get(INDEX).content.decode()
    assert page.index("Second") < page.index("First")


def test_the_page_shows_only_the_most_recent_entries(client):
    Entry.objects.bulk_create(
        Entry(name=f"signer-{n:02d}", message="hi") for n in range(RECENT_ENTRIES + 5)
    )
    page = client.get(INDEX).content.decode()
    assert page.count('class="entry"') == RECENT_ENTRIES


def test_the_page_reads_its_entries_in_one_query(client, django_assert_num_queries):
    Entry.objects.bulk_create(Entry(name=f"n{n}", message="m") for n in range(30))
    with django_assert_num_queries(1):
        assert client.get(INDEX).status_code == 200


def test_the_page_shows_a_new_entry_at_once(client):
    Entry.objects.create(name="First", message="before")
    client.get(INDEX)
    sign(client, name="Fresh", message="after")
    assert "Fresh" in client.get(INDEX).content.decode()


def test_the_page_shows_an_edited_entry_and_forgets_a_deleted_one_at_once(client):
    edited = Entry.objects.create(name="Editor", message="draft text")
    deleted = Entry.objects.create(name="Regret", message="delete me")
    client.get(INDEX)
    Entry.objects.filter(pk=edited.pk).update(message="final text")
    deleted.delete()
    page = client.get(INDEX).content.decode()
    assert "final text" in page
    assert "draft text" not in page
    assert "Regret" not in page


def test_a_bad_signature_shows_its_errors_after_a_good_page(client):
    client.get(INDEX)
    assert "Please tell us your name." in sign(client, name="").content.decode()


def test_an_empty_guestbook_invites_the_first_signature(client):
    assert "Be the first to sign" in client.get(INDEX).content.decode()


def test_signing_stores_the_entry_and_redirects_to_the_page(client):
    response = sign(client, name="Grace", message="Hopper was here")
    assert response.status_code == 302
    assert response["Location"] == INDEX
    assert Entry.objects.filter(name="Grace", message="Hopper was here").count() == 1


def test_after_signing_the_page_thanks_the_signer_and_shows_the_entry(client):
    page = client.post(INDEX, {"name": "Grace", "message": "Hi"}, follow=True).content.decode()
    assert "Thank you for signing" in page
    assert "Grace" in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": ""}, "Please tell us your name."),
        ({"message": ""}, "Please write a message."),
        ({"name": "   "}, "Please tell us your name."),
        ({"message": " \n\t "}, "Please write a message."),
    ],
)
def test_a_blank_field_is_refused_with_a_message_and_nothing_stored(client, fields, error):
    response = sign(client, **fields)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Entry.objects.count() == 0


@pytest.mark.parametrize(("field", "limit"), [("name", 80), ("message", 1000)])
def test_a_field_over_its_length_limit_is_refused(client, field, limit):
    assert sign(client, **{field: "x" * (limit + 1)}).status_code == 400
    assert sign(client, **{field: "x" * limit}).status_code == 302
    assert Entry.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": "bell\x07"}, "Control characters are not allowed (found U+0007)."),
        ({"name": "two\nlines"}, "Control characters are not allowed (found U+000A)."),
        ({"message": "escape \x1b[2J"}, "Control characters are not allowed (found U+001B)."),
        ({"message": "broken \ufffd bytes"}, "This text contains bytes that are not valid UTF-8."),
    ],
)
def test_unreadable_text_is_refused_with_the_reason(client, fields, error):
    response = sign(client, **fields)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Entry.objects.count() == 0


def test_line_breaks_and_tabs_are_fine_in_a_message(client):
    assert sign(client, message="one\r\ntwo\tthree").status_code == 302


def test_html_in_a_message_is_stored_as_typed_and_shown_escaped(client):
    script = '<script>alert("owned")</script><b>bold</b>'
    sign(client, name="<i>Mallory</i>", message=script)
    assert Entry.objects.get().message == script
    page = client.get(INDEX).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in page
    assert "&lt;i&gt;Mallory&lt;/i&gt;" in page


def test_line_breaks_in_a_message_are_kept(client):
    sign(client, message="line one\nline two")
    assert "line one<br>line two" in client.get(INDEX).content.decode()


def test_the_database_itself_refuses_a_blank_entry():
    with pytest.raises(IntegrityError):
        Entry.objects.create(name="", message="no name")


def test_methods_other_than_get_and_post_are_refused(client):
    assert client.put(INDEX).status_code == 405


def test_the_page_links_its_stylesheet_by_a_hashed_static_url(client):
    page = client.get(INDEX).content.decode()
    assert re.search(r'href="/static/guestbook/style\.[0-9a-f]{12}\.css"', page)


def stylesheet_url(client):
    return re.search(r'href="(/static/[^"]+\.css)"', client.get(INDEX).content.decode())[1]


def test_static_files_are_served_under_asgi_as_under_wsgi(client, async_client):
    url = stylesheet_url(client)
    assert client.get(url).status_code == 200
    assert async_to_sync(async_client.get)(url).status_code == 200


def test_a_static_file_is_served_for_any_host_while_a_page_refuses_a_forged_one(client):
    url = stylesheet_url(client)
    assert client.get(url, headers={"host": "evil.example.net"}).status_code == 200
    assert client.get(INDEX, headers={"host": "evil.example.net"}).status_code == 400


def test_entries_are_listed_in_the_admin(admin_client):
    Entry.objects.create(name="Linus", message="admin can see me")
    page = admin_client.get(reverse("admin:guestbook_entry_changelist")).content.decode()
    assert "Linus" in page


def test_an_entry_can_be_edited_in_the_admin(admin_client):
    entry = Entry.objects.create(name="Typo", message="helo")
    url = reverse("admin:guestbook_entry_change", args=[entry.pk])
    response = admin_client.post(url, {"name": "Typo", "message": "hello"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.message == "hello"


def test_the_admin_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("admin:guestbook_entry_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
