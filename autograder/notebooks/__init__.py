"""The nbgrader path: extracting student code from notebooks and the hidden checks run in the kernel."""
