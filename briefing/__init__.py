"""Cyber Norms Briefing Kit: the helper package behind the notebooks.

Modules, in the direction data flows: ``data`` (load and validate the package) -> ``tidy``
(chart-ready frames, pure filters) -> ``charts`` (figures) -> ``controls`` (widget explorers).
``theme`` holds the plotly template and source line. Submodules are imported on use, so
``import briefing`` stays cheap.
"""

__version__ = "0.1.0"
__all__ = ["charts", "controls", "data", "reading", "theme", "tidy"]


def __getattr__(name):
    if name in __all__:
        import importlib

        return importlib.import_module(f"briefing.{name}")
    raise AttributeError(f"module 'briefing' has no attribute {name!r}")
