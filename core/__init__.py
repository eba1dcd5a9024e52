"""The ground every app stands on: what any app may use and that knows no app.

Secret tokens, the shared cache, Markdown, the form renderer and widgets, the API's schema
helpers, redaction of secrets in logs, middleware, the page and fragment caches, text folding
for search, CSV safety, page numbers, batched work, the task base class and the audit log.
Nothing here imports a product app or the project package (tests/test_layers.py).
"""
