"""Settings package: base (shared), dev (first run), test (PostgreSQL and Redis), production."""
