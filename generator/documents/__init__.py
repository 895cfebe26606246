"""documents layer of sangkien."""
