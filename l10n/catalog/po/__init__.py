"""PO text: a one-pass reader for the common form of PO files and a formatter writing what polib writes."""
