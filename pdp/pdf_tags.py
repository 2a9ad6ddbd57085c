"""Finishing WeasyPrint's tagged PDF so that it is PDF/UA-1 in fact, not only in name.

WeasyPrint (70) tags each page on its own and leaves four things wrong, which this module puts
right after it renders:

- the running headers and footers (page margin boxes) are marked content that no structure
  element holds: they become artifacts (`/Artifact <</Type /Pagination>>`);
- an element that crosses a page (a section, a table, its body) becomes one structure element
  per page, so a long table was several tables and only the first kept its caption: the pieces
  are joined back into one, and the header row that repeats on each later page becomes an
  artifact (it is drawn again for sighted readers; the table has it once);
- table header cells have no `Scope`: each gets `/Row` or `/Column` from its `scope` attribute;
- data cells' `Headers` were worked out per page piece: they are worked out again over the
  joined table (a cell's column headers and its row's headers).

To know which pieces belong together, `record_sources` wraps WeasyPrint's tree builder so that
each structure element carries a private key naming the HTML element it came from; `finish`
joins pieces with the same source and removes the key.
"""

import io

import pikepdf

SOURCE = "TCSource"  # private, removed by finish()
SCOPES = {"row": "/Row", "col": "/Column", "colgroup": "/Column", "rowgroup": "/Row"}


def record_sources(tags_module) -> None:
    """Wrap weasyprint.pdf.tags._build_box_tree (once) to note each element's HTML source and
    each header cell's scope."""
    original = tags_module._build_box_tree
    if getattr(original, "records_sources", False):
        return
    from weasyprint.layout.absolute import AbsolutePlaceholder

    def building(box, parent, pdf, page_number, nums, annotations, tags):
        source = box._box if isinstance(box, AbsolutePlaceholder) else box
        for element in original(box, parent, pdf, page_number, nums, annotations, tags):
            if source.element is not None:
                element[SOURCE] = f"/E{id(source.element)}-{source.element_tag.replace(':', '-')}"
                if element["S"] == "/TH" and "A" in element:
                    element["A"]["Scope"] = SCOPES.get(source.element.get("scope", "col"), "/Column")
            yield element

    building.records_sources = True
    tags_module._build_box_tree = building


def _is_element(node) -> bool:
    return isinstance(node, pikepdf.Dictionary) and "/S" in node


def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _join(node) -> None:
    """Join the page pieces among node's children (recursively); drop repeated table heads."""
    kept: list = []
    seen_heads: set[str] = set()
    for kid in _kids(node):
        source = str(kid.get(f"/{SOURCE}", "")) if _is_element(kid) else ""
        if source and kid.S == "/THead":
            if source in seen_heads:
                continue  # the header row drawn again on a later page
            seen_heads.add(source)
        previous = kept[-1] if kept else None
        if source and _is_element(previous) and str(previous.get(f"/{SOURCE}", "")) == source and previous.S == kid.S:
            for grandchild in _kids(kid):
                if _is_element(grandchild):
                    grandchild.P = previous
                elif isinstance(grandchild, int) and kid.get("/Pg") is not None:
                    grandchild = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=kid.Pg, MCID=grandchild)
                previous.K = pikepdf.Array([*_kids(previous), grandchild])
            continue
        kept.append(kid)
    if "/K" in node:
        node.K = pikepdf.Array(kept)
    for kid in kept:
        if _is_element(kid):
            _join(kid)


def _rows(table) -> list:
    rows = []
    for kid in _kids(table):
        if not _is_element(kid):
            continue
        if kid.S == "/TR":
            rows.append(kid)
        elif kid.S in ("/THead", "/TBody", "/TFoot"):
            rows.extend(row for row in _kids(kid) if _is_element(row) and row.S == "/TR")
    return rows


def _link_headers(table, number: int) -> None:
    """Each data cell's Headers: the header cells of its columns and of its row."""
    column_headers: dict[int, list] = {}
    rows = _rows(table)
    cells_by_row = []
    for i, row in enumerate(rows):
        cells, column = [], 0
        for cell in _kids(row):
            if not _is_element(cell) or cell.S not in ("/TH", "/TD"):
                continue
            span = int(cell.A.get("/ColSpan", 1)) if "/A" in cell else 1
            cells.append((cell, column, span))
            column += span
        cells_by_row.append(cells)
        for cell, column, span in cells:
            if cell.S == "/TH":
                cell.ID = pikepdf.String(f"th-{number}-{i}-{column}")
                if str(cell.A.get("/Scope", "/Column")) == "/Column":
                    for spanned in range(column, column + span):
                        column_headers.setdefault(spanned, []).append(cell.ID)
    for cells in cells_by_row:
        row_headers = [cell.ID for cell, _, _ in cells if cell.S == "/TH" and str(cell.A.get("/Scope")) == "/Row"]
        for cell, column, span in cells:
            if cell.S != "/TD":
                continue
            headers = row_headers + [
                h for spanned in range(column, column + span) for h in column_headers.get(spanned, [])
            ]
            if headers:
                cell.A.Headers = pikepdf.Array(headers)
            elif "/Headers" in cell.A:
                del cell.A["/Headers"]


def _walk(node, found: dict) -> None:
    for kid in _kids(node):
        if _is_element(kid) and kid.objgen not in found:
            found[kid.objgen] = kid
            _walk(kid, found)


def finish(pdf_bytes: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root.StructTreeRoot
        _join(root)
        elements: dict = {}
        _walk(root, elements)
        tables = [element for element in elements.values() if element.S == "/Table"]
        for number, table in enumerate(tables, start=1):
            _link_headers(table, number)
        for element in elements.values():
            if f"/{SOURCE}" in element:
                del element[f"/{SOURCE}"]
        _mark_orphans_as_artifacts(pdf, root, set(elements))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _mark_orphans_as_artifacts(pdf, root, in_tree: set) -> None:
    """Marked content whose structure element is not in the tree becomes a pagination artifact."""
    nums = list(root.ParentTree.Nums)
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for page in pdf.pages:
        if "/StructParents" not in page.obj:
            continue
        owners = by_key.get(int(page.obj.StructParents))
        if not isinstance(owners, pikepdf.Array):
            continue
        orphans = set()
        for mcid, owner in enumerate(owners):
            if not isinstance(owner, pikepdf.Dictionary) or owner.objgen not in in_tree:
                orphans.add(mcid)
        if not orphans:
            continue
        for mcid in orphans:
            owners[mcid] = pikepdf.Object.parse(b"null")
        instructions = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if (
                str(operator) == "BDC"
                and len(operands) == 2
                and isinstance(operands[1], pikepdf.Dictionary)
                and int(operands[1].get("/MCID", -1)) in orphans
            ):
                operands = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
            instructions.append((operands, operator))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
