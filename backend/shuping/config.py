"""Settings read from the environment (prefix SHUPING_)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SECRET = "shuping-demo-secret-change-me-shuping-demo-secret"
MIN_SECRET_LENGTH = 32


class Mode(StrEnum):
    demo = "demo"
    dev = "dev"
    production = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHUPING_", env_file=None, extra="ignore")

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

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
