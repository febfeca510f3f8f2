"""`python -m dojo ...` is the `kata` command."""
import sys

from dojo.cli import main

sys.exit(main())
