"""Cyber Norms Briefing Kit: the helper package behind the notebooks.

Modules, in the direction data flows: ``data`` (load and validate the package, with ``checks``:
what validation checks) -> ``tidy`` and
``labels`` (chart-ready frames, pure filters, how codes read) -> ``charts`` (figures, one module
per subject) -> ``gallery`` (the registry of named charts) -> ``controls`` (widget apps).
Beside them: ``theme`` (template, source line), ``render`` (escaped HTML), ``alt_text`` and
``export`` and ``picture_fit`` (publishable files fitted to their size), ``writing`` (confined names, files
written all or none), ``geo`` (map outlines), ``live_figure`` (the live figure widget), ``accessible`` (its name, data table and keyboard route),
``importers`` (a reader's own files), ``law`` and ``camps`` (positions on international law,
incident-to-norm claims, who attributes whom, UN votes: pure frames), ``details_panel``, ``reading`` and ``teaching`` (notebook helpers, quizzes,
tabletop exercises), ``site`` (the offline static site and handouts) and ``cli``. CONTRIBUTING.md says where each kind of change goes. Submodules
are imported on use, so ``import briefing`` stays cheap.
"""

__version__ = "0.1.0"
__all__ = [
    "accessible",
    "alt_text",
    "camps",
    "charts",
    "checks",
    "cli",
    "controls",
    "data",
    "details_panel",
    "export",
    "gallery",
    "geo",
    "importers",
    "labels",
    "law",
    "live_figure",
    "picture_fit",
    "reading",
    "render",
    "site",
    "teaching",
    "theme",
    "tidy",
    "writing",
]


def __getattr__(name):
    if name in __all__:
        import importlib

        return importlib.import_module(f"briefing.{name}")
    raise AttributeError(f"module 'briefing' has no attribute {name!r}")
