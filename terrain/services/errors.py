"""The one error type of fieldwork services: its message is a sentence for a person."""


class TerrainError(Exception):
    pass
