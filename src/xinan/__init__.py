"""XinAn (心安): student psychological crisis intervention and case-report collection."""

__version__ = "0.1.0"
