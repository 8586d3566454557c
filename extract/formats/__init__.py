"""One reader per received format; ``extract.read.read_document`` picks one by content."""
