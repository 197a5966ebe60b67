from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from guestbook.forms import EntryForm
from guestbook.models import Entry

RECENT_ENTRIES = 20


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
        form = EntryForm()
        status = 200
    # One query, newest first, read through the index that matches Entry's ordering.
    context = {"form": form, "entries": Entry.objects.all()[:RECENT_ENTRIES]}
    return render(request, "guestbook/index.html", context, status=status)
