"""Tests of the documents layer: exports, forms, import, site documents, training."""
