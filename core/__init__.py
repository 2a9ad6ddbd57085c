"""Small kits every app uses: one refusal exception, and one way to refuse an edit over a newer version.

Not a Django app (no models); it imports nothing from the apps."""
