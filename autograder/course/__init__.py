"""Course operations around a graded class: nbgrader's gradebook
(``gradebook``), LMS rosters and downloads (``lms``), late work (``late``),
regrading named students (``regrade``) and identical submissions
(``identical``). See docs/course-operations.md."""
