"""Build the static site: every notebook executed once, written as a page by the kit's nbconvert template.

A page is a notebook's prose and outputs without its code (as in the app). Its widgets were shown
statically (:mod:`briefing.site.static`, turned on by a first cell the builder adds and then drops).
Beside the pages: ``index.html`` (the learning path), ``glossary.html`` (``data/glossary.csv``) and
``assets/`` (plotly.js, copied once from the installed plotly package, and the site's script and
styles). Kernels run in a temporary folder, so a build writes nothing but its output folder.

Run it with ``python -m briefing.site.build --out build/site`` (``make site``).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import plotly
from markupsafe import Markup
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from briefing import data, reading, render
from briefing.site import static

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
TEMPLATES = REPO / "share" / "jupyter" / "nbconvert" / "templates"
TEMPLATE = "briefing-site"
SETUP = "from briefing.site import static as _static\n_static.static_display()"
GUIDED_PATH = "<!-- guided path -->"
_NOTEBOOK_LINK = re.compile(r"\]\((\d\d_\w+)\.ipynb(#[^)]*)?\)")


@dataclass
class Page:
    """One page of the site: the notebook it came from, and what its charts held in the kernel."""

    name: str
    title: str
    summary: str
    figures: list[list[dict]] = field(default_factory=list)

    @property
    def href(self) -> str:
        return f"{self.name}.html"


def notebook_pages(folder: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks of the learning path, in order (``NN_topic.ipynb``)."""
    return sorted(path for path in folder.glob("[0-9][0-9]_*.ipynb"))


def _page_of(path: Path, notebook) -> Page:
    first = "".join(notebook.cells[0].source)
    title = first.splitlines()[0].lstrip("# ").strip()
    found = re.search(r"\*\*In one line:\*\*\s*(.+)", first)
    return Page(path.stem, title, found.group(1).strip() if found else "")


def execute(path: Path, workdir: Path):
    """The notebook at ``path`` run once from a clean kernel, its widgets shown statically."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(SETUP))
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
        store_widget_state=False,  # no widget is left on a page: their state would only weigh it down
    ).execute(stderr=subprocess.DEVNULL)  # the kernel's own start-up chatter; a failing cell still raises
    notebook.cells.pop(0)
    return notebook


def _for_the_site(notebook):
    """Drop code cells that show nothing and the notebook's own guided-path links (the site's
    navigation replaces them); links between notebooks point to their pages."""
    kept = []
    for cell in notebook.cells:
        if cell.cell_type == "code" and not cell.outputs:
            continue
        if cell.cell_type == "markdown":
            if GUIDED_PATH in cell.source:
                continue
            cell.source = _NOTEBOOK_LINK.sub(r"](\1.html\2)", cell.source)
        kept.append(cell)
    notebook.cells = kept
    return notebook


def kernel_figures(notebook) -> list[list[dict]]:
    """What each chart of an executed notebook held in the kernel, in page order."""
    figures = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            figures += output.get("data", {}).get(static.MIME, {}).get("figures", [])
    return figures


#: The lab template's stylesheets (JupyterLab's CSS, ~250 kB) that nbconvert would inline in every page.
LAB_STYLESHEETS = ("static/index.css", "static/theme-light.css")


def _shared_stylesheet(name: str) -> str:
    """Where a lab template stylesheet lives in the site: ``assets/``, copied once by :func:`copy_assets`."""
    return f"assets/lab-{Path(name).name}"


class _SiteExporter(HTMLExporter):
    """nbconvert's HTML exporter, but the lab template's stylesheets are linked, not inlined.

    Inlined, JupyterLab's CSS was most of each page's weight and was read again for every page; linked
    from ``assets/`` a browser loads it once and keeps it. The link sits where the inlined copy sat, so
    the cascade is unchanged.
    """

    def _init_resources(self, resources):
        resources = super()._init_resources(resources)

        def link(name: str) -> Markup:
            if name not in LAB_STYLESHEETS:
                raise ValueError(f"{name} is not copied into the site's assets")
            return Markup(f'<link rel="stylesheet" href="{_shared_stylesheet(name)}">')

        resources["include_css"] = link
        return resources


def _exporter() -> HTMLExporter:
    return _SiteExporter(
        template_name=TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def _site_resources(pages: list[Page], index: int | None) -> dict:
    def link(i: int | None) -> dict | None:
        if i is None or not 0 <= i < len(pages):
            return None
        return {"href": pages[i].href, "title": pages[i].title}

    return {
        "as_of": data.as_of(),
        "citation": static.citation(),
        "built": _dt.date.today().isoformat(),
        "previous": link(None if index is None else index - 1)
        if index != 0
        else {"href": "index.html", "title": "Start"},
        "next": link(0 if index is None else index + 1),
    }


def write_page(out: Path, name: str, notebook, title: str, site: dict) -> Path:
    """Write ``notebook`` as ``out/name.html`` with the site's template and navigation."""
    notebook.metadata["title"] = title
    body, _ = _exporter().from_notebook_node(notebook, resources={"briefing": site})
    target = out / f"{name}.html"
    target.write_text(body, encoding="utf-8")
    return target


def _markdown_page(*sources: str, html: str = ""):
    cells = [nbformat.v4.new_markdown_cell(s) for s in sources]
    if html:
        output = nbformat.v4.new_output("display_data", data={"text/html": html})
        cells.append(nbformat.v4.new_code_cell("", outputs=[output]))
    return nbformat.v4.new_notebook(cells=cells)


def start_page(pages: list[Page]):
    """The start page: what the kit is and the learning path, one link per page in order."""
    steps = "".join(
        f"<li><a href='{page.href}'>{render.escape(page.title)}</a>: {render.escape(page.summary)}</li>"
        for page in pages
    )
    return _markdown_page(
        "# Cyber Norms Briefing Kit: the offline edition\n\n"
        "The kit's notebooks as web pages: the text, the charts (hover, zoom, click a legend entry to "
        "hide or show a series), the data behind each chart, the self-check quizzes and the glossary. "
        "Nothing here needs Python or an internet connection. The explorers' filters need a running "
        "kernel: for those, open the notebooks in JupyterLab (`make lab`) or in the app (`make app`).",
        html="<h2 id='learning-path'>The learning path</h2>"
        f"<ol class='briefing-learning-path'>{steps}</ol>"
        "<p>Words you meet on the way: <a href='glossary.html'>the glossary</a>.</p>",
    )


def glossary_page():
    """The glossary: every term of ``data/glossary.csv`` with its definition and source."""
    terms = data.load("glossary").sort_values("term", key=lambda s: s.str.casefold())
    return _markdown_page(
        "# Glossary\n\nThe terms a newcomer meets in the kit, each with its source.",
        html=reading.define(*terms["term_id"]).data,
    )


def copy_assets(out: Path) -> None:
    """plotly.js (once, from the installed plotly package), the site's script and styles and the lab
    template's stylesheets (:data:`LAB_STYLESHEETS`)."""
    assets = out / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", assets / "plotly.min.js")
    for name in ("site.js", "site.css"):
        shutil.copyfile(TEMPLATES / TEMPLATE / "static" / name, assets / name)
    environment = _exporter().environment
    for name in LAB_STYLESHEETS:
        css = environment.loader.get_source(environment, name)[0]
        (out / _shared_stylesheet(name)).write_text(css, encoding="utf-8")


#: The mark a build leaves in its folder: only a folder holding it is emptied by the next build.
SITE_MARK = ".briefing-site"


class SiteError(Exception):
    """A folder the site may not be built in; the message says why and what to do."""


def clear_site_folder(out: Path) -> None:
    """Make ``out`` an empty folder holding the site's mark, refusing a folder the kit did not build.

    The build replaces its folder whole, so it must never empty a folder of the reader's (``--out .``)
    or the kit's data.
    """
    target = out.resolve()
    data_dir = data.data_dir().resolve()
    if target == data_dir or data_dir in target.parents or target in data_dir.parents:
        raise SiteError(f"{out} holds the kit's data or is inside it: build the site somewhere else")
    if target.exists() and not target.is_dir():
        raise SiteError(f"{out} is a file, not a folder: choose another --out")
    if target.is_dir() and any(target.iterdir()):
        if not (target / SITE_MARK).is_file():
            raise SiteError(f"{out} is not empty and holds no site built by the kit: choose an empty or new folder")
        shutil.rmtree(target)
    target.mkdir(parents=True, exist_ok=True)
    (target / SITE_MARK).write_text("Built by `make site`; the next build empties this folder.\n", encoding="utf-8")


def build_site(out: Path, notebooks: list[Path] | None = None) -> list[Page]:
    """Build the site in ``out`` (emptied first) from ``notebooks`` (default: all, in order)."""
    notebooks = notebook_pages() if notebooks is None else notebooks
    clear_site_folder(out)
    copy_assets(out)
    executed, pages = [], []
    with tempfile.TemporaryDirectory(prefix="briefing-site-") as workdir:
        for path in notebooks:
            notebook = execute(path, Path(workdir))
            page = _page_of(path, notebook)
            page.figures = kernel_figures(notebook)
            executed.append(notebook)
            pages.append(page)
    for index, (page, notebook) in enumerate(zip(pages, executed)):
        write_page(out, page.name, _for_the_site(notebook), page.title, _site_resources(pages, index))
    write_page(out, "index", start_page(pages), "Cyber Norms Briefing Kit", _site_resources(pages, None))
    glossary = _site_resources(pages, None) | {"next": None, "previous": None}
    write_page(out, "glossary", glossary_page(), "Glossary", glossary)
    return pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the kit's static site from its notebooks.")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "site", help="the site's folder")
    args = parser.parse_args(argv)
    try:
        pages = build_site(args.out)
    except SiteError as refused:
        raise SystemExit(f"briefing site: {refused}") from None
    print(f"Static site in {args.out}: {len(pages)} pages, a start page and a glossary; open index.html")


if __name__ == "__main__":
    main()
