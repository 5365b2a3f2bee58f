"""Transactional e-mail rendering: tiny templates with {{ variable|filter }} placeholders."""
