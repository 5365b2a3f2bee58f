"""Recipe site back end: recipe storage and readable URLs."""
