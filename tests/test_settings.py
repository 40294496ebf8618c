"""The signing key: created once, shared by concurrent first starts, private to its owner."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from myositis.errors import ConfigurationError
from myositis.settings import Settings


def test_concurrent_first_starts_agree_on_one_key(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: Settings(data_dir=tmp_path).resolved_secret(), range(32)))
    assert len(keys) == 1 and len(keys.pop()) >= 48
    assert stat.S_IMODE((tmp_path / "secret.key").stat().st_mode) == 0o600


def test_explicit_key_wins_and_writes_nothing(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path, secret_key="configured").resolved_secret() == "configured"
    assert not (tmp_path / "secret.key").exists()


def test_empty_key_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("")
    with pytest.raises(ConfigurationError, match=r"secret\.key"):
        Settings(data_dir=tmp_path).resolved_secret()


def test_secure_cookies_default_follows_the_bind_address(tmp_path: Path) -> None:
    assert not Settings(data_dir=tmp_path, host="127.0.0.1").resolved_secure_cookies()
    assert Settings(data_dir=tmp_path, host="0.0.0.0").resolved_secure_cookies()
    assert not Settings(data_dir=tmp_path, host="0.0.0.0",
                        secure_cookies=False).resolved_secure_cookies()
