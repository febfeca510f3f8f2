"""The `kata` command: the learner's entry point (`kata --help`)."""
from __future__ import annotations

import argparse
import sys

from dojo import manifest, verify


def cmd_verify(args: argparse.Namespace) -> int:
    katas = manifest.load()
    if args.ids:
        try:
            wanted = [manifest.find(kid, katas) for kid in args.ids if "." in kid and kid.count(".") >= 2]
        except manifest.UnknownKata as exc:
            print(f"kata: {exc}", file=sys.stderr)
            return 2
        prefixes = [kid for kid in args.ids if kid.count(".") < 2]
        wanted += [k for k in katas if any(k.id == p or k.id.startswith(p + ".") for p in prefixes)]
        katas = wanted
    sides = tuple(s for s in ("layout", "stub", "solution", "variant") if s not in args.skip)
    report = verify.verify(katas, sides, say=lambda line: print(line, file=sys.stderr, flush=True))
    for finding in report.findings:
        print(f"FAIL {finding.check:8} {finding.kata}: {finding.message}")
    summary = ", ".join(f"{n} {check}" for check, n in report.checked.items())
    print(f"verify: {len(katas)} katas checked ({summary}); {len(report.findings)} problems")
    return 0 if report.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kata", description="Practise the katas; check and compare your work.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser("verify", help="prove the katas honest: stubs red, references green, wrong variants caught")
    check.add_argument("ids", nargs="*", help="kata ids or day/topic prefixes (default: all)")
    check.add_argument("--skip", action="append", default=[], choices=("layout", "stub", "solution", "variant"),
                       help="leave out one side of the check (repeatable)")
    check.set_defaults(run=cmd_verify)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
