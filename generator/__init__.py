"""sangkien: the registry of recognized public-sector initiatives, as code."""

__version__ = "0.1.0"
