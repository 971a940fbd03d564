from __future__ import annotations

import json
import os
from pathlib import Path

from sitegen.write import MANIFEST, StagedWrite, close_for_writing, write_outputs


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


def test_staged_parts_are_written_aside_then_renamed_or_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs({"a/index.html": b"A", "b/index.html": b"B", "old/index.html": b"O"}, out)
    staged = StagedWrite(out)
    staged.stage({"a/index.html": b"A", "b/index.html": b"B2"})
    staged.stage({"new/deep/index.html": b"N", "index.html": b"I"})
    assert (out / "b/index.html").read_bytes() == b"B"  # nothing in place before commit()
    report = staged.commit()
    assert report.written == ["b/index.html", "index.html", "new/deep/index.html"]
    assert report.unchanged == 1 and report.removed == ["old/index.html"]
    assert report.stamps == {rel: _stamp(out / rel) for rel in report.written}
    assert (out / "new/deep/index.html").read_bytes() == b"N"
    assert (out / "new/deep/index.html").stat().st_mode & 0o777 == 0o644
    assert not [p for p in out.rglob(".sitegen-*") if p.name != MANIFEST]

    aborted = StagedWrite(out)
    aborted.stage({"a/index.html": b"A3", "other/x/index.html": b"X"})
    aborted.abort()
    assert (out / "a/index.html").read_bytes() == b"A" and not (out / "other").exists()
    assert not [p for p in out.rglob(".sitegen-*") if p.name != MANIFEST]


def test_a_first_build_is_written_beside_the_output_folder_and_renamed_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    staged = StagedWrite(out)
    staged.stage({"a/index.html": b"A", "index.html": b"I"})
    assert not out.exists(), "nothing where readers look until the build is whole"
    report = staged.commit()
    assert report.written == ["a/index.html", "index.html"]
    assert report.stamps == {rel: _stamp(out / rel) for rel in report.written}  # as the cache records them
    assert (out / "a/index.html").read_bytes() == b"A" and (out / "index.html").stat().st_mode & 0o777 == 0o644
    assert json.loads((out / MANIFEST).read_text()) == ["a/index.html", "index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

    failed = StagedWrite(tmp_path / "other")
    failed.stage({"a/index.html": b"A"})
    failed.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


def test_a_fresh_build_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    left = tmp_path / ".out.sitegen-999999999"  # no such process
    (left / "a").mkdir(parents=True)
    (left / "a" / "index.html").write_bytes(b"half")
    StagedWrite(tmp_path / "out").commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_manifest_read_again_is_the_one_on_disk(tmp_path: Path) -> None:
    """read_manifest keeps the last manifest it read while the file is as it was (serve reads it
    at each rebuild): a manifest written since, by this process or another, is read anew."""
    from sitegen.write import read_manifest

    out = tmp_path / "out"
    write_outputs({"a.html": b"a", "b/index.html": b"b"}, out)
    assert read_manifest(out) == {"a.html", "b/index.html"}
    write_outputs({"a.html": b"a", "c.html": b"c"}, out)  # b/ pruned, c.html added
    assert read_manifest(out) == {"a.html", "c.html"}
    (out / MANIFEST).write_text('["a.html", "../outside", ".git/config"]')  # as another process might
    assert read_manifest(out) == {"a.html"}  # the new file, its unsafe names left out
    info = (out / MANIFEST).stat()
    (out / MANIFEST).write_text('["b.html", "../outside", ".git/config"]')  # same size, in place,
    os.utime(out / MANIFEST, ns=(info.st_atime_ns, info.st_mtime_ns))  # its time set back
    assert read_manifest(out) == {"b.html"}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_build_stopped_while_its_files_go_in_place_is_put_in_place_whole(tmp_path: Path, monkeypatch) -> None:
    """Ctrl-C (KeyboardInterrupt) between two renames: output/ is the new site, not a mix."""
    out = tmp_path / "out"
    write_outputs({f"p{n}.html": b"old" for n in range(20)} | {"gone.html": b"x"}, out)
    new = {f"p{n}.html": b"new" for n in range(20)}
    real_replace, calls = os.replace, []

    def interrupted(source, target):  # type: ignore[no-untyped-def]
        calls.append(target)
        if len(calls) == 5:
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", interrupted)
    staged = StagedWrite(out)
    staged.stage(new)
    try:
        staged.commit()
    except KeyboardInterrupt:
        staged.abort()
    else:
        raise AssertionError("the interruption did not happen")
    assert _files(out) == new | {MANIFEST: _files(out)[MANIFEST]}
    assert not list(tmp_path.glob(".out.sitegen-*")), "the staging folder is gone"


def test_a_preview_closed_for_writing_keeps_its_last_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs({"a.html": b"old"}, out)
    close_for_writing(out)
    staged = StagedWrite(out)
    staged.stage({"a.html": b"new"})
    assert staged.commit().written == []
    assert (out / "a.html").read_bytes() == b"old" and not list(tmp_path.glob(".out.sitegen-*"))


def test_a_folder_of_sitegens_that_becomes_a_file_even_with_an_empty_folder_left_in_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs({"x/y.css": b"1", "a.html": b"a"}, out)
    (out / "x/empty").mkdir()
    write_outputs({"x": b"a file now", "a.html": b"a"}, out)
    assert (out / "x").read_bytes() == b"a file now"
