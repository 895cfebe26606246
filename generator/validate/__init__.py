"""validate layer of sangkien."""
