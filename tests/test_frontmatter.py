"""The fence, the YAML and the marks: every line number is a line of the FILE, not of the
YAML block, because that is the line an editor's cursor goes to."""

from __future__ import annotations

from datetime import date

import pytest

from sitegen.content.frontmatter import FrontMatterError, Mark, load_yaml_mapping, parse_document, split


def _error(text: str) -> FrontMatterError:
    with pytest.raises(FrontMatterError) as failed:
        parse_document(text)
    return failed.value


def test_split_gives_yaml_body_and_their_file_lines() -> None:
    yaml_text, yaml_line, body, body_line = split("---\ntitle: A\ndate: 2026-01-01\n---\nFirst line.\n")
    assert yaml_text == "title: A\ndate: 2026-01-01\n"
    assert yaml_line == 2
    assert body == "First line.\n"
    assert body_line == 5


def test_split_accepts_dots_closer_crlf_and_trailing_spaces() -> None:
    assert split("--- \r\ntitle: A\r\n...\r\nBody\r\n") == ("title: A\r\n", 2, "Body\r\n", 4)


def test_split_without_a_body() -> None:
    assert split("---\ntitle: A\n---") == ("title: A\n", 2, "", 4)


def test_a_file_without_front_matter() -> None:
    error = _error("title: A\n\nText.\n")
    assert (error.line, error.col, error.message) == (1, 1, "the file does not start with front matter")
    assert "---" in error.hint


@pytest.mark.parametrize("text", ["", "\n\n", "  \n\t\n"])
def test_an_empty_file_is_named_empty(text: str) -> None:
    error = _error(text)
    assert (error.line, error.col, error.message) == (1, 1, "the file is empty")
    assert error.hint == "write its front matter (---, `title: ...`, ---) and text, or delete the file"


def test_empty_lines_before_the_fence_are_named() -> None:
    error = _error("\n\n---\ntitle: A\n---\n")
    assert error.message == "the front matter must start on line 1, not line 3"
    assert error.hint == "remove the empty lines before ---"


def test_unclosed_front_matter_says_where_the_fence_belongs() -> None:
    error = _error("---\ntitle: A\ntags:\n  - x\n  - y\n\nThe text starts here.\n")
    assert (error.line, error.message) == (1, "the front matter opened on line 1 is never closed")
    assert error.hint == "add a line with only --- after line 5, where the front-matter keys end"


def test_unclosed_front_matter_without_any_key() -> None:
    error = _error("---\nJust text.\n")
    assert error.hint == "add a line with only --- after the last front-matter key"


def test_yaml_error_line_is_the_file_line() -> None:
    error = _error("---\ntitle: A\ndate: 2026-01-01\nsummary: Call: researchers\n---\nBody\n")
    assert (error.line, error.col) == (4, 14)
    assert error.message == "YAML syntax error: a value with `: ` in it must be in quotes"
    assert error.hint == 'write summary: "Call: researchers"'


def test_a_value_with_double_quotes_is_suggested_in_single_quotes() -> None:
    error = _error('---\ntitle: The "Museum": a podcast\n---\n')
    assert error.hint == """write title: 'The "Museum": a podcast'"""


def test_load_yaml_mapping_counts_from_the_given_line() -> None:
    with pytest.raises(FrontMatterError) as failed:
        load_yaml_mapping("a: 1\nb: c: d\n", first_line=10)
    assert failed.value.line == 11


def test_an_unclosed_quote_is_reported_where_it_opens_not_at_the_end() -> None:
    error = _error('---\ntitle: "Museum of the year\ndate: 2026-01-01\nsummary: x\n---\nBody\n')
    assert (error.line, error.col) == (2, 8)
    assert error.message == 'YAML syntax error: the quote " opened here is never closed'


def test_an_unclosed_bracket_is_reported_where_it_opens() -> None:
    error = _error("---\ntitle: A\ntags: [AI, Policy\ndate: 2026-01-01\n---\n")
    assert (error.line, error.col) == (3, 7)
    assert error.message == "YAML syntax error: the [ opened here is never closed"
    assert "]" in error.hint


def test_a_missing_colon_is_reported_on_its_own_line() -> None:
    error = _error("---\ntitle: A\ndate 2026-01-01\nsummary: x\n---\n")
    assert (error.line, error.col) == (3, 1)
    assert error.message == "YAML syntax error: this line has no `:` after its key"


def test_a_tab_is_named() -> None:
    error = _error("---\ntitle: A\nimage:\n\tsrc: a.jpg\n---\n")
    assert error.line == 4
    assert error.message == "YAML syntax error: a tab character"
    assert "spaces" in error.hint


def test_a_wrongly_indented_key_is_named() -> None:
    error = _error("---\ntitle: A\n  date: 2026-01-01\n---\n")
    assert (error.line, error.col) == (3, 7)
    assert error.message == "YAML syntax error: this line is indented more than the keys above it"


def test_an_apostrophe_in_single_quotes_gets_a_quoting_hint() -> None:
    error = _error("---\ntitle: 'The board's meeting'\n---\n")
    assert error.line == 2
    assert "quote" in error.hint


def test_marks_of_top_level_nested_and_list_entries() -> None:
    doc = parse_document(
        "---\n"
        "title: A\n"  # 2
        "image:\n"  # 3
        "  src: photo.jpg\n"  # 4
        "  alt: A photo\n"  # 5
        "tags:\n"  # 6
        "  - AI\n"  # 7
        "  - Policy\n"  # 8
        "aliases: [/old/, /older/]\n"  # 9
        "---\n"
        "Body\n"
    )
    assert doc.marks["title"] == Mark(2, 1, 2, 8)
    assert doc.marks["image"] == Mark(3, 1, 4, 3)
    assert doc.marks["image.src"] == Mark(4, 3, 4, 8)
    assert doc.marks["image.alt"] == Mark(5, 3, 5, 8)
    assert doc.marks["tags.0"] == Mark(7, 5, 7, 5)
    assert doc.marks["tags.1"] == Mark(8, 5, 8, 5)
    assert doc.marks["aliases.1"] == Mark(9, 18, 9, 18)
    assert doc.body_line == 11


def test_marks_inside_a_flow_mapping() -> None:
    doc = parse_document("---\ntitle: A\nimage: {src: a.jpg, alt: Text}\n---\n")
    assert doc.marks["image"] == Mark(3, 1, 3, 8)
    assert doc.marks["image.alt"] == Mark(3, 21, 3, 26)


def test_a_key_twice_is_reported_at_the_second_naming_the_first() -> None:
    error = _error("---\ntitle: A\ndate: 2026-01-01\ntitle: B\n---\n")
    assert (error.line, error.col, error.message) == (4, 1, "the key `title` appears twice")
    assert error.hint == "keep one of them (the other is on line 2)"


def test_a_nested_key_twice() -> None:
    error = _error("---\ntitle: A\nimage:\n  src: a.jpg\n  src: b.jpg\n---\n")
    assert (error.line, error.col) == (5, 3)
    assert error.hint == "keep one of them (the other is on line 4)"


def test_a_date_yaml_cannot_build_stays_text_for_the_schema_to_explain() -> None:
    data = parse_document("---\ndate: 2026-02-30\nupdated: 2026-02-28\n---\n").data
    assert data["date"] == "2026-02-30"
    assert data["updated"] == date(2026, 2, 28)


def test_front_matter_that_is_not_a_mapping() -> None:
    error = _error("---\n- title: A\n---\n")
    assert (error.line, error.message) == (2, "front matter must be a list of `key: value` lines")


def test_empty_front_matter_is_an_empty_mapping() -> None:
    doc = parse_document("---\n---\nBody\n")
    assert (doc.data, doc.marks, doc.body, doc.body_line) == ({}, {}, "Body\n", 3)


def test_only_true_and_false_are_booleans() -> None:
    doc = parse_document("---\ntitle: No\ntags: [On, Off, yes]\ndraft: true\n---\n")
    assert doc.data == {"title": "No", "tags": ["On", "Off", "yes"], "draft": True}


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("title: !!str [a, b]\n", "expected a scalar node, but found sequence"),
        ("tags: !!seq AI\n", "expected a sequence node, but found scalar"),
        ("!!str [a]: x\n", "expected a scalar node, but found sequence"),
    ],
)
def test_a_tag_that_does_not_fit_its_value_is_a_yaml_error(yaml_text: str, message: str) -> None:
    with pytest.raises(FrontMatterError) as failed:
        load_yaml_mapping(yaml_text, first_line=2)
    assert failed.value.line == 2
    assert failed.value.message == f"YAML syntax error: {message}"


def test_anchors_aliases_and_merges_read_as_pyyaml_reads_them() -> None:
    data, marks = load_yaml_mapping("base: &b {alt: x}\nimage:\n  <<: *b\n  src: a.jpg\ntags: &t [A]\nalso: *t\n")
    assert data == {"base": {"alt": "x"}, "image": {"alt": "x", "src": "a.jpg"}, "tags": ["A"], "also": ["A"]}
    assert data["tags"] is data["also"]
    assert marks["image.src"] == Mark(4, 3, 4, 8)
