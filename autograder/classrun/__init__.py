"""A class run: discovering submissions, the worker pool, resumable state, the per-student record, the files written."""
