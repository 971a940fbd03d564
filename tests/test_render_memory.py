"""The render stage's memory (state/renders.py): keys numbered once, outputs' reads as numbers,
and the numbering made again when most keys are read by no output any more."""

from __future__ import annotations

from sitegen.state.renders import RenderMemory


class FakeDigests(dict):
    def __missing__(self, key):
        return None


def _keys(memory: RenderMemory, path: str) -> set:
    return {memory.keys[number] for number in memory.reads[path]}


def test_reads_are_kept_as_numbers_of_keys_and_outputs_keep_their_lines_until_rendered_again() -> None:
    memory = RenderMemory()
    memory.remember({"a.html": (memory.numbered({("item", "a"), ("template", "t")}), (1, 1))}, ["a.html"])
    memory.remember({"b.html": (memory.numbered({("item", "b"), ("template", "t")}), (2, 2))}, ["a.html", "b.html"])
    assert len(memory.keys) == 3  # the template's key is numbered once
    assert _keys(memory, "b.html") == {("item", "b"), ("template", "t")}
    memory.stored["a.html"] = memory.stored["b.html"] = "as read"
    memory.remember({"b.html": (memory.numbered({("item", "b")}), (3, 3))}, ["a.html", "b.html"])
    assert memory.stored == {"a.html": "as read"}  # b's line is written anew


def test_what_changed_is_rendered_again(tmp_path) -> None:
    (tmp_path / "a.html").write_text("a")
    (tmp_path / "b.html").write_text("b")
    stamp = {}
    for name in ("a.html", "b.html"):
        info = (tmp_path / name).stat()
        stamp[name] = (info.st_mtime_ns, info.st_size)
    memory = RenderMemory()
    reads = {"a.html": frozenset({("item", "a")}), "b.html": frozenset({("item", "b")})}
    memory.remember({path: (memory.numbered(keys), stamp[path]) for path, keys in reads.items()}, reads)
    memory.record_digests(FakeDigests({("item", "a"): "1", ("item", "b"): "1"}))
    digests = FakeDigests({("item", "a"): "1", ("item", "b"): "2"})
    assert memory.to_render(["a.html", "b.html", "c.html"], digests, str(tmp_path)) == {"b.html", "c.html"}


def test_keys_no_output_reads_are_forgotten_and_the_rest_numbered_again() -> None:
    memory = RenderMemory()
    reads = {f"{n}.html": frozenset({("item", str(n)), ("template", "t")}) for n in range(10)}
    memory.remember({path: (memory.numbered(keys), (1, 1)) for path, keys in reads.items()}, reads)
    memory.record_digests(FakeDigests({key: "d" for keys in reads.values() for key in keys}))
    memory.stored["9.html"] = "as read"
    memory.remember({}, ["8.html", "9.html"])  # eight pages gone: their items' keys are read by none
    memory.record_digests(FakeDigests({("item", "8"): "e", ("item", "9"): "d", ("template", "t"): "d"}))
    assert sorted(memory.keys) == [("item", "8"), ("item", "9"), ("template", "t")]
    assert _keys(memory, "9.html") == {("item", "9"), ("template", "t")}
    assert memory.digests[memory.keys.index(("item", "8"))] == "e"
    assert memory.stored == {}  # the numbers changed: every line is written anew
