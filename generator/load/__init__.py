"""load layer of sangkien."""
