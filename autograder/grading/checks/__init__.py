"""The hidden checks, one module per part of the contract.

Each check declares its probes (calls built from a random generator) and a
judge that compares the student's outcomes with the reference's. See
``base.py`` for the pieces and ``autograder/grading/rubric.py`` for the whole list.
"""
