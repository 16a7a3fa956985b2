"""Settings read from the environment (prefix SHUPING_)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SECRET = "shuping-demo-secret-change-me-shuping-demo-secret"
# Used for Sunshine pushes in demo/dev mode when SHUPING_SUNSHINE_SECRET is unset (never in production).
DEMO_SUNSHINE_SECRET = "shuping-demo-sunshine-secret"
MIN_SECRET_LENGTH = 32


class Mode(StrEnum):
    demo = "demo"
    dev = "dev"
    production = "production"


class LogFormat(StrEnum):
    text = "text"
    json = "json"


# Network logs are kept six months or more (PRC Cybersecurity Law art. 21): daily files, 180 at least.
MIN_LOG_RETENTION_DAYS = 180


class Settings(BaseSettings):
    # Fields with an alias (a setting renamed, its old name still read) are also set by name in code.
    model_config = SettingsConfigDict(env_prefix="SHUPING_", env_file=None, extra="ignore", validate_by_name=True)

    mode: Mode = Mode.demo
    database_url: str = f"sqlite+aiosqlite:///{REPO_ROOT / 'var' / 'shuping.db'}"
    secret_key: str = DEFAULT_SECRET
    jwt_issuer: str = "shuping"
    jwt_audience: str = "shuping-api"
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=7, ge=1, le=90)
    login_max_attempts: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=300, ge=1)
    login_ip_max_attempts: int = Field(default=30, ge=1)
    # Failed logins on one username from anywhere before each further attempt waits (exponential
    # back-off from login_backoff_seconds up to login_backoff_max_seconds); forgotten after
    # login_user_window_seconds without an attempt. Addresses the user signed in from during the
    # last login_known_address_days (0: none) are spared the wait.
    login_user_max_attempts: int = Field(default=20, ge=1)
    login_user_window_seconds: int = Field(default=3600, ge=1)
    login_backoff_seconds: float = Field(default=1.0, gt=0, le=3600)
    login_backoff_max_seconds: float = Field(default=300.0, gt=0, le=86_400)
    login_known_address_days: int = Field(default=30, ge=0, le=365)
    # Wrong current passwords on POST /api/v1/auth/password, per user.
    password_change_max_attempts: int = Field(default=5, ge=1)
    password_change_window_seconds: int = Field(default=900, ge=1)
    password_hash_concurrency: int = Field(default=2, ge=1)
    redis_url: str | None = None
    var_dir: Path = REPO_ROOT / "var"
    static_dir: Path = REPO_ROOT / "frontend" / "dist"
    load_demo: bool = False
    # Adds POST /api/v1/_bench/echo, the benchmark's floor: a trivial endpoint of the same server.
    bench_endpoints: bool = False
    # Report attachments (kept under var_dir/reports): slides as PDF or PPTX, and images.
    report_slides_max_mb: int = Field(default=50, ge=1, le=1024)
    report_image_max_mb: int = Field(default=10, ge=1, le=1024)
    report_max_attachments: int = Field(default=20, ge=1, le=200)
    # The rectification ledger: a new item's deadline in working days (on the petitions' calendar),
    # how many working days before it an item counts as due soon, and its evidence files.
    ledger_due_days: int = Field(default=60, ge=1, le=365)
    ledger_due_soon_days: int = Field(default=5, ge=0, le=60)
    ledger_evidence_max_mb: int = Field(default=20, ge=1, le=1024)
    ledger_max_evidence: int = Field(default=30, ge=1, le=500)

    # The Sunshine Petition integration (阳光信访). A secret starting with "whsec_" is base64
    # after the prefix, otherwise its UTF-8 bytes; during a rotation both secrets are valid.
    sunshine_secret: str | None = None
    sunshine_secret_previous: str | None = None
    sunshine_webhook_tolerance_seconds: int = Field(default=300, ge=1, le=3600)
    sunshine_export_url: str | None = None
    sunshine_export_token: str | None = None
    sunshine_sync_interval_seconds: int = Field(default=300, ge=1, le=86_400)
    sunshine_sync_timeout_seconds: float = Field(default=30, gt=0, le=600)

    # The working-day calendar of the petition clocks and the ledger's deadlines: weekends, the national
    # holidays and make-up working days of the chinese-calendar package (SHUPING_BUILTIN_HOLIDAYS=false
    # leaves them out), and these days over them, for a year the package does not know yet or a local
    # day off (comma-separated YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD ranges). The names these had when
    # only the petitions used them (SHUPING_PETITION_HOLIDAYS, …) are still read.
    holidays: str = Field(default="", validation_alias=AliasChoices("SHUPING_HOLIDAYS", "SHUPING_PETITION_HOLIDAYS"))
    workdays: str = Field(default="", validation_alias=AliasChoices("SHUPING_WORKDAYS", "SHUPING_PETITION_WORKDAYS"))
    builtin_holidays: bool = Field(
        default=True, validation_alias=AliasChoices("SHUPING_BUILTIN_HOLIDAYS", "SHUPING_PETITION_BUILTIN_HOLIDAYS")
    )
    # The petition clocks: working days per stage.
    petition_acceptance_days: int = Field(default=15, ge=1, le=365)
    petition_handling_days: int = Field(default=60, ge=1, le=365)
    petition_extension_days: int = Field(default=30, ge=1, le=365)
    petition_review_days: int = Field(default=30, ge=1, le=365)
    petition_re_review_days: int = Field(default=30, ge=1, le=365)

    # Observability: GET /metrics (Prometheus text format) is served when enabled (unset: in demo/dev
    # only), behind a bearer token when one is set. Logs: text or one JSON object per line (unset: json
    # in production), also to a file rotated at midnight UTC and kept log_retention_days days.
    metrics_enabled: bool | None = None
    metrics_token: str | None = None
    log_format: LogFormat | None = None
    log_file: Path | None = None
    log_retention_days: int = Field(default=190, ge=1, le=3650)

    @field_validator("holidays", "workdays")
    @classmethod
    def _check_dates(cls, value: str) -> str:
        from shuping.core.calendar import parse_dates

        parse_dates(value)
        return value

    @model_validator(mode="after")
    def _check_secret(self) -> Settings:
        if self.mode == Mode.production and (
            self.secret_key == DEFAULT_SECRET or len(self.secret_key) < MIN_SECRET_LENGTH
        ):
            raise ValueError(
                f"SHUPING_SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters outside demo/dev mode"
            )
        return self

    @model_validator(mode="after")
    def _check_log_retention(self) -> Settings:
        if self.mode == Mode.production and self.log_retention_days < MIN_LOG_RETENTION_DAYS:
            raise ValueError(
                f"SHUPING_LOG_RETENTION_DAYS must be at least {MIN_LOG_RETENTION_DAYS} in production: network "
                f"logs are kept six months or more (PRC Cybersecurity Law art. 21); it is {self.log_retention_days}"
            )
        return self

    @property
    def serve_metrics(self) -> bool:
        """Whether GET /metrics answers: as set, or in demo/dev mode when unset."""
        return self.metrics_enabled if self.metrics_enabled is not None else self.mode != Mode.production

    @property
    def logs_as_json(self) -> bool:
        """Whether logs are JSON lines: as set, or in production when unset."""
        return (self.log_format or (LogFormat.json if self.mode == Mode.production else LogFormat.text)) == "json"

    @property
    def sunshine_secrets(self) -> list[str]:
        """The webhook secrets in force: the current one first, then the previous one during a rotation."""
        secrets = [s for s in (self.sunshine_secret, self.sunshine_secret_previous) if s]
        if not secrets and self.mode != Mode.production:
            secrets = [DEMO_SUNSHINE_SECRET]
        return secrets

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
