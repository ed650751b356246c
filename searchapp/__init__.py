"""searchapp: a full-text search engine for news archives.

Importing the package does no work: no index is opened and no corpus is read.
"""
__version__ = "0.1.0"
