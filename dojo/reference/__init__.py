"""The reference solutions as an importable package, whatever the --impl mode.

`dojo.reference.day1.data.parallelism` is solutions/day1/data/parallelism.py. Benchmarks import
references under these names rather than under private ones, because worker processes must be
able to import them too: pickling a reference function (for a process pool, with fork, spawn or
forkserver) stores only its module's name.
"""
from dojo import paths

__path__ = [str(paths.SOLUTIONS)]
