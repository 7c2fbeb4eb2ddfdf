"""Grader for the 'Loss Functions & Training Signal' exercises."""
__version__ = "0.1.0"
