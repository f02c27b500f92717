"""The read-only API (`/api/v1/`): DRF viewsets over the published querysets and the FilterSets."""
