"""Print a .docx's paragraphs and tables as JSON, for the browser tests to check what was downloaded."""

import json
import sys

from docx import Document

document = Document(sys.argv[1])
json.dump(
    {
        "paragraphs": [p.text for p in document.paragraphs],
        "tables": [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables],
    },
    sys.stdout,
    ensure_ascii=False,
)
