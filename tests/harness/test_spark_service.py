"""Spark: skipped with the reason when Java is missing, a failure under --require-services."""
import os

import pytest

SPARK_PROBE = """
    def test_spark(spark):
        assert spark.range(3).count() == 3
"""


@pytest.fixture
def no_java(monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                                               if not os.path.exists(os.path.join(p, "java"))))


def test_missing_java_skips_with_what_to_install(project, no_java):
    project.write("test_spark.py", SPARK_PROBE)
    result = project.run("test_spark.py", "-rs")
    assert result.parseoutcomes() == {"skipped": 1}
    result.stdout.fnmatch_lines(["*Spark unavailable: no Java found (install OpenJDK 17*"])


def test_missing_java_fails_under_require_services(project, no_java):
    project.write("test_spark.py", SPARK_PROBE)
    assert project.run("test_spark.py", "--require-services").parseoutcomes().get("errors") == 1


def test_a_local_session_comes_up_when_java_is_there(project):
    project.write("test_spark.py", SPARK_PROBE)
    assert project.run("test_spark.py", "--require-services").parseoutcomes() == {"passed": 1}
