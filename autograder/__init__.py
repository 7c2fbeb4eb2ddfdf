"""Grader for the 'Loss Functions & Training Signal' exercises."""
__version__ = "0.2.0"   # records and state of 0.1 are not read back (the rubric and the record changed)
