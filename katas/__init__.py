"""Your code. Importing this package installs the katas/solutions switch (see dojo/impl.py),
so `pytest --impl solutions` and worker processes find the reference code under the same names."""
from dojo.impl import install_switch

install_switch()
