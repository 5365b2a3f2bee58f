"""Point-of-sale reporting for a chain of stores in several time zones."""
