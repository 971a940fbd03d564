from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.content.config import load_config
from sitegen.errors import BuildFailed


def _config(tmp_path: Path, text: str):
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return load_config(tmp_path)


def test_defaults_and_url_helpers(tmp_path: Path) -> None:
    config, log = _config(tmp_path, "title: T\nbase_url: https://example.org/network\ntimezone: Europe/Brussels\n")
    assert log.warnings == []
    assert (config.language, config.per_page, config.feed_items, config.closing_soon_days) == ("en", 10, 20, 7)
    assert config.base_url == "https://example.org/network/"
    assert config.url("/news/") == "/network/news/"
    assert config.absolute("/news/") == "https://example.org/network/news/"
    assert config.asset_url("/media/a.svg") == "/network/media/a.svg"
    assert config.asset_url("https://cdn.example.org/a.svg") == "https://cdn.example.org/a.svg"


def test_missing_timezone_is_a_warning_not_silent_utc(tmp_path: Path) -> None:
    config, log = _config(tmp_path, "title: T\nbase_url: https://example.org/\n")
    assert config.timezone.key == "UTC"
    assert [w.message for w in log.warnings] == ["no timezone set: dates without an offset are read as UTC"]


def test_every_mistake_in_site_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        _config(tmp_path, "title: T\nbase_url: example.org\ntimezone: Europe/Brusels\nper_pge: 5\n")
    found = [(e.line, e.message, e.hint) for e in failed.value.errors]
    assert found[0][:2] == (2, "`base_url` must be an absolute address, not `example.org`")
    assert found[1][0] == 3 and found[1][1].startswith("`timezone`") and "`Europe/Brusels`" in found[1][1]
    assert "Europe/Brussels" in found[1][2]
    assert found[2] == (4, "unknown setting `per_pge`", "did you mean `per_page`?")


def test_missing_site_yaml(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        load_config(tmp_path)
    assert failed.value.errors[0].message.startswith("no site.yaml")
