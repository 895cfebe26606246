"""reports layer of sangkien."""
