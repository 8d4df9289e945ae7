"""STORAGES from the environment: local folders by default, S3 when AWS_STORAGE_BUCKET_NAME is set.
Imported by community.settings, so it imports nothing but the standard library."""

from urllib.parse import urlsplit


def s3_options(environ, *, bucket: str, location: str, public: bool) -> dict:
    """django-storages S3Storage options from the environment. Credentials are not read here: boto3 finds
    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or an instance role) itself, so they never sit in settings."""
    options = {
        "bucket_name": bucket,
        "location": location,
        "file_overwrite": False,  # a name already taken gets a suffix, as on disk
        "querystring_auth": not public,  # public files get plain, cacheable URLs
        # Public objects: ACL public-read unless AWS_DEFAULT_ACL="" (buckets that refuse ACLs use a policy).
        "default_acl": (environ.get("AWS_DEFAULT_ACL", "public-read") or None) if public else "private",
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"} if public else {},
    }
    for option, name in [
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("addressing_style", "AWS_S3_ADDRESSING_STYLE"),
        ("signature_version", "AWS_S3_SIGNATURE_VERSION"),
    ]:
        if environ.get(name):
            options[option] = environ[name]
    if public:
        # Public URLs are plain strings: boto3's URL builder costs about 1 ms per avatar (0.5 s for the first
        # in each thread), measured here, and a page can show dozens. django-storages formats
        # `url_protocol//custom_domain/key` without boto3, so the store's public address goes there.
        protocol, domain = public_address(options, environ.get("AWS_S3_CUSTOM_DOMAIN", ""))
        options["url_protocol"] = environ.get("AWS_S3_URL_PROTOCOL", protocol)
        options["custom_domain"] = domain
    return options


def public_address(options: dict, custom_domain: str) -> tuple[str, str]:
    """(protocol, host and path) that public objects' URLs start with: a CDN domain, else the store itself
    (path-style under an endpoint, virtual-hosted on AWS)."""
    bucket = options["bucket_name"]
    if custom_domain:
        return "https:", custom_domain
    if options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        if options.get("addressing_style") == "virtual":
            return f"{parts.scheme}:", f"{bucket}.{parts.netloc}"
        return f"{parts.scheme}:", f"{parts.netloc}{parts.path.rstrip('/')}/{bucket}"
    region = options.get("region_name")
    return "https:", f"{bucket}.s3.{region}.amazonaws.com" if region else f"{bucket}.s3.amazonaws.com"


def public_media_origins(options: dict) -> list[str]:
    """The origin avatar URLs point at, for the Content Security Policy's img-src."""
    host = options["custom_domain"].split("/", 1)[0]
    return [f"{options['url_protocol']}//{host}"]


def storages_from_environment(environ, *, debug: bool) -> tuple[dict, list[str]]:
    """STORAGES for this deployment and the extra img-src origins its public files need.

    AWS_STORAGE_BUCKET_NAME set: both stores on S3 (AWS_PRIVATE_STORAGE_BUCKET_NAME, else the same bucket
    under AWS_PRIVATE_LOCATION, default "private"; public files under AWS_LOCATION, default "media").
    Unset: the local folders of the embedded site."""
    staticfiles = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if debug
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    }
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        local = {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "community.object_storage.backends.PrivateFileSystemStorage"},
            "staticfiles": staticfiles,
        }
        return local, []
    public = s3_options(environ, bucket=bucket, location=environ.get("AWS_LOCATION", "media"), public=True)
    private_bucket = environ.get("AWS_PRIVATE_STORAGE_BUCKET_NAME", "")
    private = s3_options(
        environ,
        bucket=private_bucket or bucket,
        location=environ.get("AWS_PRIVATE_LOCATION", "" if private_bucket else "private"),
        public=False,
    )
    s3 = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": public},
        "private": {"BACKEND": "community.object_storage.backends.PrivateS3Storage", "OPTIONS": private},
        "staticfiles": staticfiles,
    }
    return s3, public_media_origins(public)
