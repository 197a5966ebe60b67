from django.contrib import admin

from guestbook.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["name", "short_message", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["name", "message"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at"]

    @admin.display(description="message")
    def short_message(self, entry):
        return entry.message[:80]
