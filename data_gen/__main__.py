"""python -m data_gen DATASET (--rows N | --size S) --format F --seed N --out PATH"""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
