"""The katas/solutions switch: CLI beats the environment beats the ini key beats the default."""
import pytest


def outcomes(result):
    return result.parseoutcomes()


def test_default_runs_the_learners_stubs(project):
    result = project.run("katas/day0/demo/test_add.py")
    assert outcomes(result).get("failed") == 1
    result.stdout.fnmatch_lines(["*running against katas/ (from default)*"])


def test_cli_solutions_runs_the_reference(project):
    result = project.run("katas/day0/demo/test_add.py", "--impl", "solutions")
    assert outcomes(result) == {"passed": 1}


def test_ini_key_selects_solutions(project):
    project.ini("impl = solutions")
    result = project.run("katas/day0/demo/test_add.py")
    assert outcomes(result) == {"passed": 1}
    result.stdout.fnmatch_lines(["*from ini key impl*"])


def test_cli_beats_ini(project):
    project.ini("impl = solutions")
    result = project.run("katas/day0/demo/test_add.py", "--impl", "katas")
    assert outcomes(result).get("failed") == 1


def test_environment_beats_ini_and_cli_beats_environment(project, monkeypatch):
    project.ini("impl = katas")
    monkeypatch.setenv("DOJO_IMPL", "solutions")
    assert outcomes(project.run("katas/day0/demo/test_add.py")) == {"passed": 1}
    assert outcomes(project.run("katas/day0/demo/test_add.py", "--impl", "katas")).get("failed") == 1


def test_a_bad_mode_is_one_clear_usage_error(project):
    project.ini("impl = answers")
    result = project.run("katas/day0/demo/test_add.py")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*impl='answers' (from ini key impl): expected one of katas, solutions*"])


def test_non_python_artefacts_follow_the_switch(project):
    assert outcomes(project.run("katas/day0/demo/report", "--impl", "solutions")) == {"passed": 1}
    assert outcomes(project.run("katas/day0/demo/report")).get("failed") == 1


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_child_processes_see_the_same_switch(project, start_method):
    project.write("katas/day0/demo/test_child.py", f"""
        import multiprocessing

        from katas.day0.demo.add import add


        def add_in_child(pair):
            return add(*pair)


        def test_a_worker_process_imports_the_same_implementation():
            with multiprocessing.get_context("{start_method}").Pool(1) as pool:
                assert pool.map(add_in_child, [(1, 2)]) == [3]
    """)
    result = project.run("katas/day0/demo/test_child.py", "--impl", "solutions")
    assert outcomes(result) == {"passed": 1}, result.stdout.str()[-2000:]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_reference_functions_run_in_worker_processes_whatever_the_mode(project, start_method):
    """Benchmarks race the reference in a process pool: its functions must pickle by module name."""
    project.write("katas/day0/demo/test_reference_child.py", f"""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from dojo.impl import load_reference


        def test_the_reference_add_runs_in_a_worker():
            reference = load_reference("day0.demo.add")
            assert reference.__name__ == "dojo.reference.day0.demo.add"
            context = multiprocessing.get_context("{start_method}")
            with ProcessPoolExecutor(1, mp_context=context) as pool:
                assert pool.submit(reference.add, 2, 3).result() == 5
    """)
    result = project.run("katas/day0/demo/test_reference_child.py")
    assert outcomes(result) == {"passed": 1}, result.stdout.str()[-2000:]
