# The plain-Python reference of `forumprefs bench stackexchange`: iterparse over Posts.xml, each Body's text extracted
# with html.parser, questions and answers into sqlite3, single thread. Usage: ingest_stackexchange.py Posts.xml OUT.db [raw]
# With "raw" it stores the HTML as it is (no text extraction): the lower bound of such a script.
import sqlite3, sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser

path, db = sys.argv[1], sys.argv[2]
raw = len(sys.argv) > 3 and sys.argv[3] == "raw"


class Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def text(html):
    if raw:
        return html
    parser = Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL"); con.execute("PRAGMA synchronous=NORMAL")
con.execute("CREATE TABLE IF NOT EXISTS questions(id INTEGER PRIMARY KEY, title TEXT, body TEXT, score INTEGER, created TEXT, accepted INTEGER)")
con.execute("CREATE TABLE IF NOT EXISTS answers(id INTEGER PRIMARY KEY, parent INTEGER, body TEXT, score INTEGER, created TEXT)")
questions, answers = [], []


def flush():
    con.executemany("INSERT OR REPLACE INTO questions VALUES (?,?,?,?,?,?)", questions)
    con.executemany("INSERT OR REPLACE INTO answers VALUES (?,?,?,?,?)", answers)
    con.commit(); questions.clear(); answers.clear()


for _, element in ET.iterparse(path, events=("end",)):
    if element.tag != "row":
        continue
    a = element.attrib
    kind = a.get("PostTypeId")
    if kind == "1":
        questions.append((int(a["Id"]), a.get("Title"), text(a.get("Body", "")), int(a.get("Score", 0)), a.get("CreationDate"), a.get("AcceptedAnswerId")))
    elif kind == "2":
        answers.append((int(a["Id"]), int(a.get("ParentId", 0)), text(a.get("Body", "")), int(a.get("Score", 0)), a.get("CreationDate")))
    element.clear()
    if len(questions) + len(answers) >= 10000:
        flush()
flush()
