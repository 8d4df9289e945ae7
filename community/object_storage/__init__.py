"""Where uploaded files live: local folders by default, an S3-compatible object store when the environment
names a bucket (django-storages). Two stores, as Django 5.2 `STORAGES` aliases:

- "default": public files (avatars). Locally MEDIA_ROOT under MEDIA_URL; on S3, objects readable by anyone
  (ACL `public-read`, or a bucket policy) and pages link to the store's own URL, unsigned.
- "private": experts' proof documents. Locally PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT; on S3 a private bucket
  (or a `private/` prefix of the public one) with private objects. Either way the store has no URL: only the
  permission-checked download view streams them (accounts.expert_views.expert_document), which also writes the
  audit entry, so there is no signed link that could be forwarded.

config.py turns the environment into STORAGES (community.settings calls it; it imports nothing heavy);
backends.py holds the private stores and `private_storage`, the lazy handle model fields use.
"""
