"""Being found and installed: sitemaps, robots.txt, feeds, page metadata (canonical, robots, OpenGraph,
Twitter cards, schema.org JSON-LD) and the web app manifest with its offline page (issue 16, items 2, 3, 6).

Everything here reads public content only, through the one visibility rule (`visible_to(None)`).
"""
