"""The researchers' workspace (behind login, per season) and the public findings pages."""
