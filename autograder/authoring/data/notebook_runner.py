

_ANSWER_CELL_ERRORS = {}


def _run_answer_cell(function, source):
    try:
        exec(compile(source, f"<answer cell: {function}>", "exec", dont_inherit=True), globals())
    except (Exception, SystemExit) as exc:
        _ANSWER_CELL_ERRORS.setdefault(function, f"{type(exc).__name__}: {exc}"[:300])
