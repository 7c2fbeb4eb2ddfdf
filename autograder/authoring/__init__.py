"""Everything derived from the reference: the stub, the public cases, the notebooks, and the build that writes them."""
