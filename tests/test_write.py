from __future__ import annotations

import json
from pathlib import Path

from sitegen.write import MANIFEST, write_outputs


def test_writes_only_changed_files_and_prunes_its_own(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = write_outputs({"a/index.html": b"A", "b/index.html": b"B"}, out)
    assert first.written == ["a/index.html", "b/index.html"]
    (out / "mine.txt").write_text("not generated")
    second = write_outputs({"a/index.html": b"A2"}, out)
    assert second.written == ["a/index.html"] and second.unchanged == 0
    assert second.removed == ["b/index.html"]
    assert not (out / "b").exists()  # its emptied folder goes too
    assert (out / "mine.txt").read_text() == "not generated"
    assert json.loads((out / MANIFEST).read_text()) == ["a/index.html"]


def test_copies_files_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(b"\xff\xd8jpeg")
    out = tmp_path / "out"
    write_outputs({"media/photo.jpg": source}, out)
    assert (out / "media/photo.jpg").read_bytes() == b"\xff\xd8jpeg"
    assert write_outputs({"media/photo.jpg": source}, out).unchanged == 1
    assert not [p for p in out.rglob(".sitegen-*") if p.name != MANIFEST]


def test_a_tampered_manifest_cannot_delete_outside_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    victim = tmp_path / "precious.txt"
    victim.write_text("keep")
    out.mkdir()
    (out / MANIFEST).write_text(json.dumps(["../precious.txt", "/etc/hostname"]))
    write_outputs({"index.html": b"x"}, out)
    assert victim.read_text() == "keep"
