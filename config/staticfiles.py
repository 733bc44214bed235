"""Static files in production (`collectstatic`, served by WhiteNoise).

`StaticFilesStorage`: WhiteNoise's compressed, hashed storage, tolerant of vendored CSS that points at files its
package does not ship (viewflow's bundled roboto-fontface CSS names Roboto-Thin.woff2 and others that are not in the
wheel: the strict storage made `collectstatic` fail on them, so production could not collect its static files). Such
a reference is left as written; every file that exists is still hashed and compressed.

`StaticFilesConfig` (replaces `django.contrib.staticfiles` in INSTALLED_APPS): leaves out viewflow's own front-end
bundle (`viewflow/js`, `viewflow/fonts`: 140 MB of the 185 MB collected) and source maps. No page of ours uses them —
our pages, the admin and the API docs have their own assets, checked against a production server by
tests/config/test_topology.py — and compressing them took minutes of every deployment.

Compression is gzip; Brotli (≈ 15 % smaller, but 50× the CPU: ~2.5 minutes of one core for our 45 MB of assets) only
with STATIC_BROTLI=1.
"""

from django.conf import settings
from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesConfig(DjangoStaticFilesConfig):
    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "viewflow/js/*", "viewflow/fonts/*", "*.map"]


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError as exc:  # Django's "The file '…' could not be found with …"
            if content is None and not self.exists(filename or name):
                return name
            raise exc

    def create_compressor(self, **kwargs):
        return super().create_compressor(use_brotli=settings.STATIC_BROTLI, **kwargs)
