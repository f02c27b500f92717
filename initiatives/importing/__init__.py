"""Bulk import of the directory: a file (CSV, XLSX, GeoJSON, GoGoCarto JSON) becomes initiatives.

readers.py reads any of the formats as numbered rows of named columns; columns.py suggests which
column is which field; places.py finds the commune of a row; rows.py turns a row into the values
to write (or a sentence saying why not); runner.py runs a whole file, as a dry run or for real,
in batches; services.py is what the staff pages, the Celery task and the command call.
"""
