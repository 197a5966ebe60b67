import hashlib
import pickle

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods

from guestbook.forms import EntryForm
from guestbook.models import Entry

RECENT_ENTRIES = 20
ENTRY_FIELDS = ("id", "name", "message", "created_at")


def content_version(rows):
    """A short digest of what the rows say: the key of their rendered fragment.

    pickle is the fastest faithful serialization of these values; were two equal rows ever
    to pickle differently, a fragment would be rendered again, never shown stale.
    """
    return hashlib.blake2b(pickle.dumps(rows, protocol=5), digest_size=16).hexdigest()


@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    """The latest entries and a form to sign; a valid signature redirects back here."""
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            form.save()
            messages.success(request, "Thank you for signing the guestbook.")
            return redirect("guestbook:index")
        status = 400
    else:
        # The empty form's fields are rendered once and cached: build it only if needed.
        form = SimpleLazyObject(EntryForm)
        status = 200
    # Plain values, not model instances: when the fragment is cached, only the key is needed.
    entries = list(Entry.objects.values(*ENTRY_FIELDS)[:RECENT_ENTRIES])
    context = {"form": form, "entries": entries, "entries_version": content_version(entries)}
    return render(request, "guestbook/index.html", context, status=status)
