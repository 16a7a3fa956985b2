"""How large a request body may be: the input guard's limits, from the domains' own."""

from __future__ import annotations

from shuping.app.routes import API_PREFIX
from shuping.config import get_settings
from shuping.core.hardening import MULTIPART_OVERHEAD, BodyLimits, MiB
from shuping.flows import cycle_import
from shuping.ledger import importer as ledger_importer
from shuping.meetings import router as meetings_routes
from shuping.petitions import importer as petitions_importer
from shuping.petitions.dependencies import MAX_WEBHOOK_BYTES


def _upload_limit() -> int:
    """A multipart body: the largest file any upload route takes (as configured now), and room for the rest."""
    settings = get_settings()
    largest_mb = max(settings.report_slides_max_mb, settings.report_image_max_mb, settings.ledger_evidence_max_mb)
    largest = max(
        largest_mb * MiB,
        cycle_import.MAX_WORKBOOK_BYTES,
        ledger_importer.MAX_IMPORT_BYTES,
        petitions_importer.MAX_IMPORT_BYTES,
        meetings_routes.MAX_UPLOAD,
    )
    return largest + MULTIPART_OVERHEAD


def body_limits() -> BodyLimits:
    """Multipart bodies as large as the largest upload; the signed webhook its own size."""
    return BodyLimits(multipart=_upload_limit, paths={f"{API_PREFIX}/integrations/sunshine/cases": MAX_WEBHOOK_BYTES})
