"""Field extraction, one small module per concern.

``layout`` turns a TextDocument into lines, key-value pairs, tables and sections once; every
other module reads that structure (and the spaCy Doc) rather than re-scanning raw text, so the
same label conventions ("Name:", a two-column table, a header row) work for every field.
"""
