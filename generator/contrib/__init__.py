"""contrib layer of sangkien."""
