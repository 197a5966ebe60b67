"""Property-based: whatever form data and headers a client sends through the router, the
guestbook never answers 5xx, and every entry it stores passes the model's validation."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Text a client can put in a form: any Unicode a UTF-8 body can carry.
form_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=1200)
# Header values: what HTTP allows on the wire (visible ASCII, spaces, and latin-1 bytes).
header_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=300,
).map(str.strip)
header_names = st.sampled_from(
    ["User-Agent", "Accept", "Accept-Language", "Accept-Encoding", "Referer", "Cookie",
     "X-Forwarded-For", "X-Request-ID", "If-None-Match", "X-Anything"]
)  # fmt: skip
extra_fields = st.dictionaries(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20),
    form_text,
    max_size=3,
)


@pytest.fixture(scope="module")
def visitor(router):
    browser = router.browser()
    browser.token = browser.csrf_token_from(browser.get("/"))
    return browser


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=form_text,
    message=form_text,
    extra=extra_fields,
    headers=st.dictionaries(header_names, header_text, max_size=4),
)
def test_generated_signatures_never_get_a_5xx(visitor, name, message, extra, headers):
    data = {**extra, "csrfmiddlewaretoken": visitor.token, "name": name, "message": message}
    response = visitor.post("/", data, headers=headers)
    assert response.status_code < 500, response.text[:500]
    assert response.status_code in {302, 400, 403}


def test_every_stored_entry_passes_the_models_validation(dyno, visitor):
    # Runs after the generated signatures (module order): the database holds what they stored.
    code = (
        "import json; from guestbook.models import Entry\n"
        "invalid = []\n"
        "for entry in Entry.objects.all():\n"
        "    try: entry.full_clean()\n"
        "    except Exception as error: invalid.append([entry.pk, str(error)])\n"
        "print(json.dumps({'count': Entry.objects.count(), 'invalid': invalid}))"
    )
    result = json.loads(dyno.django_shell(code))
    assert result["count"] > 0  # some generated signatures were valid and stored
    assert result["invalid"] == []
