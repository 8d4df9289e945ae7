"""Saved answers: a member bookmarks questions and answers, with a private note, and finds them on their Saved
page. Nobody else sees what a member saved (models.py, services.py, selectors.py, forms.py, views.py)."""
