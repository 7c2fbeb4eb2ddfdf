"""The reference solutions, shipped with the package.

``losses.py`` here is the repository's ``solutions/losses.py`` (a link in a
checkout, a copy in an installed wheel); read it with
``importlib.resources.files("autograder.reference")``.
"""
