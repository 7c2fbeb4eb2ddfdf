def visible_tests(function, cases):
    """Run each public case of ``function`` and report it: "ok" and its note,
    or the paragraph that says what went wrong (the same as in
    ``python -m pytest exercises``).

    A failed case raises at the end, so you see it. While nbgrader autogrades
    the notebook, failures are only printed: the hidden checks give the points.
    """
    failed = 0
    for case in cases:
        problem = run_case(function, case)
        if problem:
            failed += 1
            print("FAIL  " + problem.replace("\n", "\n      "))
        else:
            print(f"ok    {case['note']}")
    if failed and os.environ.get("NBGRADER_EXECUTION") != "autograde":
        raise AssertionError(f"{failed} of {len(cases)} visible tests of {function.__name__} failed")