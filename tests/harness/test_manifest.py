"""Which test files belong to which kata: `test_<name>*.py`, unless a sibling kata owns the file."""
import sys

MANIFEST = '''
[[kata]]
id = "day0.demo.s3"
title = "S3"
seed = "demo"
hints = ["one", "two"]

[[kata]]
id = "day0.demo.s3_to_warehouse"
title = "S3 to a warehouse"
seed = "demo"
hints = ["one", "two"]
'''


def test_a_kata_whose_name_extends_another_keeps_its_own_tests(project):
    project.write("katas.toml", MANIFEST)
    for name in ("s3", "s3_to_warehouse"):
        project.write(f"katas/day0/demo/{name}.py", "")
    for test in ("test_s3.py", "test_s3_unit.py", "test_s3_to_warehouse.py"):
        project.write(f"katas/day0/demo/{test}", "")
    result = project.pytester.run(sys.executable, "-c", (
        "from dojo import manifest\n"
        "for kata in manifest.load():\n"
        "    print(kata.name, sorted(p.name for p in kata.test_paths()))\n"))
    assert result.stdout.lines[-2:] == [
        "s3 ['test_s3.py', 'test_s3_unit.py']",
        "s3_to_warehouse ['test_s3_to_warehouse.py']",
    ], result.stdout.str() + result.stderr.str()
