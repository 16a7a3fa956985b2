"""Helpers for petition tests: signed pushes and Sunshine case payloads."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from shuping.petitions import webhooks

SECRET = "test-sunshine-secret-0123456789"
WEBHOOK_URL = "/api/v1/integrations/sunshine/cases"


def sunshine_case(**overrides: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "external_id": f"YG-{uuid.uuid4().hex[:10]}",
        "org_code": "410326104",
        "department_code": "410326-D29",
        "category": "劳动社保",
        "summary": "反映务工工资被拖欠",
        "petitioner_name": "李四海",
        "petitioner_phone": "13912345678",
        "received_at": "2026-03-02T09:00:00+08:00",
        "status": "accepted",
        "updated_at": "2026-03-02T10:00:00+08:00",
        "note": None,
    }
    case.update(overrides)
    return case


def signed(
    payload: Any,
    *,
    secret: str = SECRET,
    msg_id: str | None = None,
    timestamp: int | None = None,
    raw: bytes | None = None,
) -> tuple[bytes, dict[str, str]]:
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    ts = int(time.time()) if timestamp is None else timestamp
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": webhooks.sign(webhooks.parse_secret(secret), msg_id, ts, body),
        "content-type": "application/json",
    }
    return body, headers
