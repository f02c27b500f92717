"""Media files attached to anything (interviews, workshops, initiatives, ...) and their work."""
