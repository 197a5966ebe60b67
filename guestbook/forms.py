from django import forms

from guestbook.models import Entry


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["name", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "name": {"required": "Please tell us your name."},
            "message": {"required": "Please write a message."},
        }
