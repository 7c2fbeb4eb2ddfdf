"""The catalogue of common mistakes: what each is (``catalogue``) and the
mistake made in code (``variants``)."""
