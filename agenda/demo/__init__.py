"""Demo data: the CCM Intersessional Meeting 2025, for `manage.py load_demo`.

`ccm2025` holds the data (titles, annotations, codes); `load` writes it to the database.
"""
