"""Small kits every app uses: one refusal exception, one way to refuse an edit over a newer version,
working days, ids from a query string, and an UPDATE that says which rows it changed.

Not a Django app (no models); it imports nothing from the apps."""
