"""The "Ask our experts" box for publishers (issue 16, item 5): one <iframe> in an article shows the
featured expert answers of a category or tag, kept current over the site's live WebSocket
(static/js/embed.js), with "Ask your question" and "Read more" links into the site. Only the box may be
framed, and only by EMBED_ALLOWED_ORIGINS (and the site itself); it sets no cookies and loads nothing from
elsewhere."""
