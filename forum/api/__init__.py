"""The read API (issue 16, item 4): JSON over HTTP for what a visitor can read, generated OpenAPI 3 document,
keyset paging, ETags and per-client rate limits. Read only: nothing here writes.

Modules: `paging` (opaque keyset cursors), `reads` (the public querysets, each starting from the models'
`visible_to(None)`), `schemas` (what each response holds), `service` (the NinjaAPI: ETags, rate limits,
errors), `endpoints` (one function per path).
"""
