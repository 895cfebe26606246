"""render layer of sangkien."""
