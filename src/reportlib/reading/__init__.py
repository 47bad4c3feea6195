"""Reading: bytes → :class:`~reportlib.reading.document.Document`.

Takes a file (txt in any Chinese encoding, HTML, DOCX, PDF) and gives its decoded, simplified
text with every block typed (page chrome, page metadata, title, addressee, heading, list item,
table, signature, date line, attachment, cc) and spans into that text: :mod:`.formats` sniffs,
decodes, converts script and extracts; :mod:`.document` segments; :mod:`.normalize` builds the
offset-mapped normalised view; :mod:`.regions` is the division table (GB/T 2260) and its matcher.
"""
