"""One module per dataset. Each exposes COLUMNS, FORMATS and ``build(rng, start, n, options)``.

``build`` returns the ``n`` rows that start at global row ``start`` (0-based) as a polars
DataFrame, drawing every random value from ``rng``, which is seeded per block by ``blocks.py``.
"""
