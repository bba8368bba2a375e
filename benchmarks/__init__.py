"""The kit's speed and memory benchmarks (`make bench`, `python benchmarks/run.py`); not part of the tests.

`run.py` is the command; each figure lives in the module of its kind (`kernel_side`, `notebooks`,
`voila_pages`, `roundtrip`, `concurrency`), the statistics and the report in `stats` and `report`.
"""
