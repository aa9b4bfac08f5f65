"""Data Docs that open without network (SPEC §5: `quality/` beside the marts).

Great Expectations' page templates load jQuery, Bootstrap, bootstrap-table, Font Awesome
and Vega from CDNs, and its logo from S3; on a closed network a page is two "Clear Filters"
buttons and nothing else. GE has no setting for these addresses (they are written into
its templates), so each page it writes is rewritten here: each address becomes a relative
URL of the same file, vendored in static/ beside this module (static/README.md names
versions, sources and licences) and copied to `<site>/static/vendor/`.
"""

import re
import shutil
from pathlib import Path

VENDORED = Path(__file__).resolve().parent / "static"
VENDOR_DIR = "static/vendor"  # in the site

# Every external address in GE 1.24's templates (render/view/templates/*.j2) that a page
# loads, and the local file that replaces it. The two file names GE gives the
# filter-control stylesheet (1.19.0, minified or not) have the same rules as 1.19.1's.
LOCAL_FILES = {
    "https://cdn.jsdelivr.net/npm/vega@5": "vega-5.33.1/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite-5.23.0/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed-6.29.0/vega-embed.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css":
        "fontawesome-free-6.6.0/css/all.min.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js":
        "popper.js-1.12.9/popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap-4.3.1/bootstrap.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap-4.3.1/bootstrap.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js":
        "bootstrap-table-1.19.1/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css":
        "bootstrap-table-1.19.1/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "bootstrap-dark-1.1.0/bootstrap-prefers-dark.min.css",
}
# GE ships its logo in its own static/images/ too, but its navbar takes it from S3.
GE_ASSETS = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
GE_IMAGES = "static/images/"
# GE's own images by a relative URL, which it counts one level short on validation pages
# (their favicon.ico is looked for outside the site): recounted from the page's place.
GE_IMAGE = re.compile(r"(?:\.\.?/)*static/images/")

TAG = re.compile(r"<(?:script|link|img)\b[^>]*>", re.IGNORECASE)
URL_ATTRIBUTE = re.compile(r"""\b(src|href)\s*=\s*(["'])([^"'?#]*)[^"']*\2""", re.IGNORECASE)
# Subresource integrity would be checked against a file: URL as a cross-origin request,
# which browsers refuse; the vendored files are the very ones GE names (README).
CORS_ATTRIBUTES = re.compile(r"""\s+(?:integrity|crossorigin)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""",
                             re.IGNORECASE)


def copy_assets(site: Path) -> None:
    """Put the vendored files (with their README and licences) in the site's static/vendor/."""
    shutil.copytree(VENDORED, site / VENDOR_DIR, dirs_exist_ok=True)


def local_url(url: str, root: str) -> str | None:
    """The relative URL of the local copy of `url` for a page `root` away from the site's
    root (`""` or `"../../"`), or None when there is none."""
    if url in LOCAL_FILES:
        return f"{root}{VENDOR_DIR}/{LOCAL_FILES[url]}"
    if url.startswith(GE_ASSETS):
        return f"{root}{GE_IMAGES}{url[len(GE_ASSETS):]}"
    if image := GE_IMAGE.match(url):
        return f"{root}{GE_IMAGES}{url[image.end():]}"
    return None


def localise(html: str, root: str) -> str:
    """`html` with every script, stylesheet and image GE loads from the network loaded from
    the site instead, and GE's own images by a right relative URL. Links to web pages
    (GE's newsletter) stay as they are."""

    def tag(match: re.Match) -> str:
        text = match.group(0)
        attribute = URL_ATTRIBUTE.search(text)
        local = attribute and local_url(attribute.group(3), root)
        if not local:
            return text
        quote = attribute.group(2)
        text = text[:attribute.start()] + f"{attribute.group(1)}={quote}{local}{quote}" + text[attribute.end():]
        return CORS_ATTRIBUTES.sub("", text)

    return TAG.sub(tag, html)


def localise_site(site: Path, done: dict[Path, tuple[int, int]]) -> None:
    """Rewrite the pages of `site` written since the last call: `done` remembers the
    (mtime, size) each page had once rewritten, so only what GE has just built is read."""
    for page in site.rglob("*.html"):
        stat = page.stat()
        relative = page.relative_to(site)
        if done.get(page) == (stat.st_mtime_ns, stat.st_size) or relative.parts[0] == "static":
            continue
        html = page.read_text(encoding="utf-8")
        local = localise(html, "../" * (len(relative.parts) - 1))
        if local != html:
            page.write_text(local, encoding="utf-8")
        stat = page.stat()
        done[page] = (stat.st_mtime_ns, stat.st_size)
