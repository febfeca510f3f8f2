"""The learner's side of the `kata` command, one small module per job.

    state       the git-ignored state folder (.dojo/): JSON files written atomically
    clock       "now" and a countdown clock, both injectable so tests need not wait
    console     rich on a terminal, plain text in CI logs and pipes
    selection   kata ids and day/topic prefixes; a bad id names the nearest ones
    files       which files of a kata the learner edits (a .py module or a folder of .sql)
    pristine    the untouched stub of each kata, kept so `reset` can always go back
    progress    solved / attempted / untouched, derived only from .dojo/results.json
    runner      pytest in a child process, so every run is recorded like a plain run
    hints       hints revealed one at a time, remembered between runs
    backup      reset and redo: back to the stub, the learner's file kept first
    diffing     the learner's files against the reference, coloured
    benchmarks  learner vs reference vs naive, with ratios
    review      spaced repetition (FSRS) over solved katas
    watch       rerun on save
    mock        a timed mock interview
"""
