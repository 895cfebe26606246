"""Tests package (keeps conftest modules of sibling folders apart)."""
