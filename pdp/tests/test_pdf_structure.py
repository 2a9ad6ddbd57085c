"""The PDF's structure tree, read with pikepdf: what a screen reader is given. Running heads are
artifacts, every header cell has a scope, label and value tables have two columns, and a table
that crosses pages is one table with one header row."""

import io

import pikepdf
import pytest
from pypdf import PdfReader

from pdp.pdf import plan_pdf
from pdp.tests.helpers import typical_plan


def kids(node) -> list:
    found = node.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, pikepdf.Array) else [found]


def elements(node, kind=None) -> list:
    """The structure elements under node, in reading order (of kind, if given)."""
    found = []
    for kid in kids(node):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            if kind is None or kind == kid.S:
                found.append(kid)
            found.extend(elements(kid, kind))
    return found


SHOW_TEXT = {"TJ", "Tj", "'", '"'}


def shown_text(pdf, keep) -> str:
    """The text a reader extracts when only the marked content for which keep(tag, mcid) holds
    is drawn (the rest of the text is taken out of a copy of the content streams)."""
    copy = pikepdf.open(io.BytesIO(save(pdf)))
    for page in copy.pages:
        stack, kept = [], []
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                properties = operands[1] if name == "BDC" else None
                mcid = int(properties.get("/MCID", -1)) if isinstance(properties, pikepdf.Dictionary) else None
                stack.append(keep(str(operands[0]), (page.obj.objgen, mcid)))
            elif name == "EMC":
                stack.pop()
            elif name in SHOW_TEXT and not (stack and stack[-1]):
                continue
            kept.append((operands, operator))
        page.obj.Contents = copy.make_stream(pikepdf.unparse_content_stream(kept))
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(save(copy))).pages)


def save(pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def marked(element) -> set:
    """(page, MCID) of the marked content under a structure element."""
    found = set()
    for node in [element, *elements(element)]:
        for kid in kids(node):
            if isinstance(kid, int):
                found.add((node.Pg.objgen, kid))
    return found


def text(pdf, element) -> str:
    contents = marked(element)
    return shown_text(pdf, lambda tag, key: key in contents)


@pytest.fixture
def long_plan(db):
    return pikepdf.open(io.BytesIO(plan_pdf(typical_plan(actions=40))))


def in_tree(pdf) -> set:
    return {element.objgen for element in elements(pdf.Root.StructTreeRoot)}


def test_it_holds_every_marked_content_in_the_tree_or_marks_it_as_an_artifact(long_plan):
    tree = in_tree(long_plan)
    owners = dict(zip(*[iter(long_plan.Root.StructTreeRoot.ParentTree.Nums)] * 2, strict=True))
    artifacts = 0
    for page in long_plan.pages:
        page_owners = owners[int(page.obj.StructParents)]
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) != "BDC":
                continue
            tag, properties = operands
            if tag == "/Artifact":
                artifacts += 1
                continue
            owner = page_owners[int(properties.MCID)]
            assert isinstance(owner, pikepdf.Dictionary), (tag, properties.MCID)
            assert owner.objgen in tree, (tag, properties.MCID)
    assert artifacts >= 4 * (len(long_plan.pages) - 1)


def test_it_marks_the_running_heads_and_page_numbers_as_artifacts(long_plan):
    tagged = shown_text(long_plan, lambda tag, key: tag != "/Artifact")
    artifacts = shown_text(long_plan, lambda tag, key: tag == "/Artifact")
    pages = len(long_plan.pages)
    assert "Personal development plan" in tagged
    assert "Page 1 of" not in tagged
    assert "Development plan:" not in tagged
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in artifacts
    assert "Development plan:" in artifacts


def test_it_gives_every_header_cell_a_scope(long_plan):
    headers = elements(long_plan.Root.StructTreeRoot, "/TH")
    assert len(headers) >= 15
    for header in headers:
        assert str(header.A.Scope) in ("/Row", "/Column")
    in_heads = [
        header for head in elements(long_plan.Root.StructTreeRoot, "/THead") for header in elements(head, "/TH")
    ]
    assert in_heads
    assert all(header.A.Scope == "/Column" for header in in_heads)


def test_it_lays_label_and_value_out_as_two_columns_each_value_pointing_at_its_label(long_plan):
    details = elements(long_plan.Root.StructTreeRoot, "/Table")[0]
    rows = elements(details, "/TR")
    assert len(rows) >= 9
    for row in rows:
        header, value = [cell for cell in kids(row) if cell.S in ("/TH", "/TD")]
        assert header.S == "/TH"
        assert header.A.Scope == "/Row"
        assert value.S == "/TD"
        assert list(value.A.Headers) == [header.ID]
    assert text(long_plan, rows[0]).startswith("Name")


def test_it_keeps_a_table_that_crosses_pages_as_one_table_with_one_header_row(long_plan):
    tables = elements(long_plan.Root.StructTreeRoot, "/Table")
    actions = [
        table for table in tables if elements(table, "/THead") and "Action and progress" in text(long_plan, table)
    ]
    crossing = [table for table in actions if len({row.Pg.objgen for row in elements(table, "/TD")}) > 1]
    assert crossing, "the test needs a table that crosses a page"
    # 40 actions: 16 under each objective and 8 under none, one table each
    assert sorted(len(elements(elements(table, "/TBody")[0], "/TR")) for table in actions) == [8, 16, 16]
    for table in actions:
        assert len(elements(table, "/Caption")) == 1
        assert len(elements(table, "/THead")) == 1
        assert len(elements(table, "/TBody")) == 1
        columns = [header.ID for header in elements(elements(table, "/THead")[0], "/TH")]
        assert len(columns) == 6
        for row in elements(table, "/TR")[1:]:
            cells = [cell for cell in kids(row) if cell.S == "/TD"]
            assert [list(cell.A.Headers) for cell in cells] == [[column] for column in columns]
