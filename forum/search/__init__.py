"""Search people can use: the query language, lay <-> clinical synonyms, the full-text index on both
databases (PostgreSQL's stored tsvector, SQLite's FTS5 table), filters, sorting and keyset paging, and the
"Unanswered" and tag index pages.

Kept free of imports: forum.models imports the Synonym model from here.
"""
