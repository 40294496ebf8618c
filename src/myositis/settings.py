"""The one typed settings object. Values come from MYOSITIS_* environment variables."""

from __future__ import annotations

import os
import secrets
import time
from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from myositis.errors import ConfigurationError


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: reachable from this machine only."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MYOSITIS_", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="where SQLite and the secret live")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default SQLite in data_dir"
    )
    secret_key: str | None = Field(default=None, description="signing key; generated if unset")
    token_minutes: int = Field(default=30, ge=1, le=1440, description="API token lifetime")
    session_hours: int = Field(default=8, ge=1, le=72,
                               description="absolute lifetime of a page session")
    idle_minutes: int = Field(default=30, ge=1, le=4320,
                              description="a page session unused this long expires")
    login_attempts_per_minute: int = Field(default=10, ge=1, le=1000)
    secure_cookies: bool | None = Field(
        default=None, description="Secure flag on the session cookie; unset, on whenever the "
        "server listens on a non-loopback address (served over HTTPS behind a proxy)")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    default_ulns: dict[str, float] = Field(
        default_factory=lambda: {"ck": 200.0, "aldolase": 7.6, "ldh": 250.0, "ast": 40.0,
                                 "alt": 40.0},
        description="upper limits of normal (U/L) the visit form fills in; set them to your "
                    "laboratory's (JSON, e.g. MYOSITIS_DEFAULT_ULNS='{\"ck\": 190}')")
    pubmed_api_key: str | None = Field(default=None, description="NCBI API key (10 req/s)")
    pubmed_email: str | None = Field(default=None, description="contact e-mail sent to NCBI")
    pubmed_query: str | None = Field(
        default=None, min_length=3, description="the site's own PubMed query for `evidence pull` "
        "(unset: the built-in myositis query); a changed query keeps its own checkpoint")
    ctgov_condition: str | None = Field(
        default=None, min_length=3, description="the site's own ClinicalTrials.gov condition "
        "query (unset: the built-in myositis conditions)")
    pubmed_url: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    ctgov_url: str = "https://clinicaltrials.gov/api/v2"
    clinic_country: str | None = Field(default=None, description="trials are matched to sites "
                                                                   "in this country")
    demo_password: str | None = Field(
        default=None, min_length=12, description="password for every demo account (tests and "
        "scripted demos); unset, each demo account gets a random password shown once")
    warm_worklist: bool = Field(default=False, description="compute worklist rows in the "
                                "background at start and after midnight (`serve` turns it on)")
    max_in_flight: int = Field(
        default=32, ge=1, le=10_000, description="requests one worker admits at a time "
        "(below the 40 threads of its pool, so an admitted request never waits for one); "
        "beyond it the answer is 503 with Retry-After at once (the health check is never shed)")
    request_deadline_seconds: float = Field(
        default=10.0, gt=0, le=600, description="a request that waited longer than this is "
        "abandoned (503) before it takes a database connection")
    workers: int = Field(default=0, ge=0, le=32,
                         description="web worker processes; 0 = one per CPU core, at most 4")
    smtp_host: str | None = Field(default=None, description="SMTP server for patient reminder "
                                  "e-mails; unset = no e-mail is sent")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_starttls: bool = Field(default=False, description="upgrade the SMTP connection with "
                                "STARTTLS before logging in")
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = Field(default="myositis-portal@localhost", max_length=254,
                           description="the From address of reminder e-mails")
    portal_url: str = Field(default="http://127.0.0.1:8000/portal", description="the portal "
                            "address reminder e-mails point to")

    locale: str = Field(default="en", pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$",
                        description="the portal's language when the browser asks for none "
                        "that has a catalogue (src/myositis/web/locale)")

    spark_master: str = Field(default="local[2]", description="Spark master for `registry "
                              "score --engine spark`: local[N] or a cluster's URL")
    spark_remote: str | None = Field(default=None, description="Spark Connect URL "
                                     "(sc://host:15002), used instead of the master when set")
    spark_partitions: int = Field(default=4, ge=1, le=100_000,
                                  description="spark.sql.shuffle.partitions for local runs")

    def resolved_workers(self) -> int:
        return self.workers or min(os.cpu_count() or 1, 4)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.data_dir / 'myositis.db').resolve()}"

    def resolved_secure_cookies(self) -> bool:
        """Secure cookies unless explicitly off, or the server is reachable only from this
        machine (plain http://127.0.0.1 would otherwise never receive its cookie)."""
        if self.secure_cookies is not None:
            return self.secure_cookies
        return not is_loopback(self.host)

    def resolved_secret(self) -> str:
        if self.secret_key:
            return self.secret_key
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "secret.key"
        try:  # create-exclusive, so concurrent first starts agree on one key
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_urlsafe(48))
        for _ in range(50):  # another process may have created it and not yet written it
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.02)
        raise ConfigurationError(f"{path} is empty; delete it to generate a new key")


@cache
def get_settings() -> Settings:
    return Settings()
