"""The directory as data: one column spec per kind, read by every format and by the dictionary."""
