"""site layer of sangkien."""
