"""nbgrader configuration for this course folder (the repository root).

From here the standard commands work as they are:

    nbgrader generate_assignment loss_functions --force   # source/ -> release/
    nbgrader validate source/loss_functions/loss_functions.ipynb
    nbgrader autograde loss_functions                      # submitted/ -> autograded/
    nbgrader generate_feedback loss_functions              # autograded/ -> feedback/
    nbgrader export                                        # grades.csv

The notebook's hidden tests import ``autograder``: run nbgrader from the
environment this package is installed in (its kernel ``python3`` must be
that interpreter). docs/nbgrader.md explains each setting below.
"""
import re

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

from autograder.authoring.single_source import STUB_BODY

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

c.CourseDirectory.course_id = "module01-loss-functions"

# Release: the stub replacing each solution region is the one of exercises/losses.py.
c.ClearSolutions.code_stub = {"python": "\n".join(STUB_BODY)}

# Autograde, sanitising: put back any graded (test) cell a student deleted.
# Locked cells (the provided code, the tests) are restored from the source
# anyway, and a changed cell type or point value is reset.
c.OverwriteCells.add_missing_cells = True

# Autograde, executing: no cell may run longer than this (an infinite loop in
# one function costs that function's points, not the whole notebook).
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True

# nbgrader zeroes a test cell with any output on stderr. Warnings (numpy's
# RuntimeWarning for an overflow in a student's function called by a visible
# test, a DeprecationWarning from a library) say nothing about the score:
# drop them before grading. A cell that raised still has its error output.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\w+Warning: "


class ClearHiddenTestsAndErrors(ClearHiddenTests):
    """Feedback: remove the hidden test regions and, in the cells that held
    them, reduce every error output to its one-line summary. A traceback
    quotes the lines around the failing one, which may be hidden test code;
    the summary keeps the exception and its message (the cell timed out, a
    visible test failed)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and self.begin_test_delimeter in cell.source:
            for output in cell.outputs:
                if output.output_type == "error":
                    summary = f"{output.ename}: {output.evalue}" if output.evalue else output.ename
                    output.traceback = [re.sub(r"\x1b\[[0-9;]*m", "", summary)[:500]]
        return super().preprocess_cell(cell, resources, index)


# Feedback: students see their outputs, scores and the feedback sentences the
# hidden checks print, never the hidden test code nor its tracebacks.
c.GenerateFeedback.preprocessors = [
    GetGrades,
    CSSHTMLHeaderPreprocessor,
    ClearHiddenTestsAndErrors,
]
