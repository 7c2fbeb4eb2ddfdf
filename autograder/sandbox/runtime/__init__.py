"""Exactly the files copied into the sandbox: the fork server (``server``), what
the child runs (``execution``, ``values``, ``seccomp``) and the frames and caps
both sides share (``protocol``, ``caps``). They import only the standard
library, numpy and each other (``tests/test_protocol_values.py``)."""
