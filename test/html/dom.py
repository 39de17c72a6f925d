#!/usr/bin/env python3
"""dom.py - checks of the HTML report's DOM as headless Chromium rendered it
(chromium --dump-dom), for chromium-report.sh.  The expected values come
from the same project's JSON report (lockorder check --format json): the
counts, which rows a filter leaves, the order a sort gives.

  dom.py index DOM JSON FRAGMENT [--js-off]
      the counts per kind and per file, and the rows FRAGMENT (the part of
      index.html#FRAGMENT after '#': kind=K&file=F&q=TEXT&sort=[-]KEY)
      leaves visible, in its order
  dom.py click DOM JSON   the steps click.js recorded
  dom.py tabs DOM SOURCE [--tabs] [--long]
      the measurements measure.js recorded, against the source file the
      page shows; --tabs: the page has the lines aligned with tabs and with
      spaces, --long: the long line
  dom.py page JSON FN     prints N of the first finding-N.html in FN

Each check prints "ok    WHAT" or "FAIL  WHAT: why"; the exit status is 1
when one failed.
"""
import collections
import html.parser
import json
import sys
import urllib.parse

failed = False


def check(ok, what, why=""):
    global failed
    print(("ok    " if ok else "FAIL  ") + what + ("" if ok else ": " + why))
    failed |= not ok


class Index(html.parser.HTMLParser):
    """What index.html's DOM holds: the counts, the form, the rows."""

    def __init__(self):
        super().__init__()
        self.tables = []
        self.row = None
        self.cell = None
        self.kinds, self.files = {}, {}
        self.rows = []
        self.text = []
        self.form_hidden = None
        self.visible_count = None
        self.sort_buttons = 0
        self.in_th = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append(a.get("id"))
            if a.get("id") == "findings":
                self.visible_count = a.get("data-visible-count")
        elif tag == "form" and a.get("id") == "filter":
            self.form_hidden = "hidden" in a
        elif tag == "tr":
            self.row = dict(a, cells=[])
        elif tag in ("td", "th"):
            self.cell = []
            self.in_th = tag == "th"
        elif tag == "button" and self.in_th and self.tables[-1:] == ["findings"]:
            self.sort_buttons += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self.tables.pop()
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row["cells"].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            table = self.tables[-1] if self.tables else None
            r, self.row = self.row, None
            if table == "by-kind" and "data-kind" in r:
                self.kinds[r["data-kind"]] = int(r["cells"][-1])
            elif table == "by-file" and "data-file" in r:
                self.files[r["data-file"]] = int(r["cells"][-1])
            elif table == "findings" and "data-n" in r:
                self.rows.append(r)

    def handle_data(self, data):
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)


def findings(path):
    with open(path) as f:
        out = json.load(f)["findings"]
    for i, f in enumerate(out):
        f["n"] = i + 1
    return out


def expected(fs, fragment):
    """The findings FRAGMENT leaves, in its order: the script's rules."""
    p = dict(urllib.parse.parse_qsl(fragment))
    kind, file, q, sort = (p.get(k, "") for k in ("kind", "file", "q", "sort"))

    def keep(f):
        if kind and f["kind"] != kind:
            return False
        if file and (not f["file"].startswith(file) if file.endswith("/")
                     else f["file"] != file):
            return False
        text = " ".join([f["kind"], f["file"], f["function"], f["message"]])
        return not q or q.lower() in text.lower()

    key, desc = sort.lstrip("-"), sort.startswith("-")
    field = {"n": "n", "kind": "kind", "file": "file", "line": "line", "fn": "function"}
    if key not in field:
        key, desc = "n", False
    rest = [field[k] for k in ("file", "line", "n") if k != key]
    # Stable sorts, least significant key first.
    out = sorted(filter(keep, fs), key=lambda f: [f[k] for k in rest])
    out.sort(key=lambda f: f[field[key]], reverse=desc)
    return [f["n"] for f in out]


def cmd_index(dom, js, fragment, js_off=False):
    fs = findings(js)
    d = Index()
    with open(dom) as f:
        d.feed(f.read())
    kinds = collections.Counter(f["kind"] for f in fs)
    files = collections.Counter(f["file"] for f in fs)
    label = "index.html#" + fragment if fragment else "index.html"
    sentence = "%d findings in %d files." % (len(fs), len(files))
    check(sentence in "".join(d.text), label + ": '" + sentence + "'")
    check(d.kinds == dict(kinds), label + ": counts per kind %s" % dict(sorted(d.kinds.items())),
          "the JSON report has %s" % dict(kinds))
    check(d.files == dict(files), label + ": counts per file %s" % dict(sorted(d.files.items())),
          "the JSON report has %s" % dict(files))
    shown = [int(r["data-n"]) for r in d.rows if "hidden" not in r]
    hidden = [int(r["data-n"]) for r in d.rows if "hidden" in r]
    if js_off:
        check(d.form_hidden is True and d.sort_buttons == 0,
              label + " without JavaScript: no filter form, no sort buttons",
              "form hidden %s, %d buttons" % (d.form_hidden, d.sort_buttons))
        want = [f["n"] for f in fs]
    else:
        check(d.form_hidden is False and d.sort_buttons == 5,
              label + ": the filter form shown, 5 sortable columns",
              "form hidden %s, %d buttons" % (d.form_hidden, d.sort_buttons))
        want = expected(fs, fragment)
    check(shown == want, label + ": rows shown %s" % shown, "expected %s" % want)
    check(sorted(hidden + shown) == [f["n"] for f in fs],
          label + ": the others hidden %s" % hidden, "rows %s" % [r["data-n"] for r in d.rows])
    check(d.visible_count == str(len(want)), label + ": data-visible-count=%s" % d.visible_count,
          "expected %d" % len(want))
    return want


def cmd_click(dom, js):
    fs = findings(js)
    with open(dom) as f:
        text = f.read()
    start = text.find('data-steps="')
    if start < 0:
        check(False, "click.js ran", "no data-steps in the DOM")
        return
    end = text.index('"', start + 12)
    steps = json.loads(html.unescape(text[start + 12:end]))
    want = [("loaded", ""), ("click function", "sort=fn"),
            ("click function again", "sort=-fn"),
            ("click recursive", "kind=recursive&sort=-fn"),
            ("type list_lock", "kind=recursive&q=LIST_LOCK&sort=-fn"),
            ("show all", "")]
    for step, (what, fragment) in zip(steps, want):
        exp = expected(fs, fragment)
        check(step["what"] == what and step["hash"] == fragment and step["visible"] == exp
              and step["count"] == len(exp),
              "%s: #%s, rows %s" % (step["what"], step["hash"], step["visible"]),
              "expected %s: #%s, rows %s" % (what, fragment, exp))
    check(len(steps) == len(want), "click.js: %d steps" % len(steps))


def cmd_tabs(dom, source, *expect):
    with open(dom) as f:
        text = f.read()
    start = text.find('data-measure="')
    if start < 0:
        check(False, "measure.js ran", "no data-measure in the DOM")
        return
    end = text.index('"', start + 14)
    m = json.loads(html.unescape(text[start + 14:end]))
    with open(source) as f:
        src = f.read().split("\n")
    check(not m["errors"] and m["pres"] > 0, "%d snippets measured" % m["pres"], str(m["errors"]))
    near = lambda a, b: abs(a - b) < 0.05
    lines = m["lines"]
    one = min(l["height"] for l in lines)
    check(one > 0, "every line a row high, empty ones too (%.1f px)" % one)
    for l in lines:
        n = l["line"]
        if l["text"] != src[n - 1]:
            check(False, "line %d as in the file" % n, repr(l["text"]))
        if abs(l["number_top"] - l["top"]) > 0.5:
            check(False, "line %d: its number on its first row" % n,
                  "number at %.1f, line at %.1f" % (l["number_top"], l["top"]))
        if l["code_left"] is not None and l["code_left"] < -0.05:
            check(False, "line %d: no code left of column 0" % n, "at column %.2f" % l["code_left"])
    check(not failed, "%d lines as in the file, each number on its line's first row, "
          "no code left of column 0" % len(lines))
    tabs = [l for l in lines if "int tabs" in l]
    spaces = [l for l in lines if "int spaces" in l]
    if "--tabs" in expect:
        check(tabs and spaces, "the tab-indented and the space-indented lines are shown")
    for t, s in zip(tabs, spaces):
        check(near(t["int tabs"], 8) and near(s["int spaces"], 8),
              "a tab indents to column 8, as 8 spaces do (%.2f, %.2f)"
              % (t["int tabs"], s["int spaces"]), "expected 8")
        check(near(t["/* col 24 */"], 24) and near(s["/* col 24 */"], 24),
              "a tab after 'int tabs = 1;' stops at column 24, as spaces do (%.2f, %.2f)"
              % (t["/* col 24 */"], s["/* col 24 */"]), "expected 24")
    for l in lines:
        if "at" not in l:
            continue
        # The next multiple of 8 from the code's first column after each tab.
        want = len(l["at"]["before"].expandtabs(8))
        check(near(l["at"]["col"], want),
              "line %d: the site '%s' drawn at column %.2f" % (l["line"], l["at"]["text"], l["at"]["col"]),
              "expected %d" % want)
        check(l["hl"] and l["width"] >= m["pre_width"] - 1,
              "line %d highlighted across the snippet (%.0f of %.0f px)" % (l["line"], l["width"], m["pre_width"]))
    longs = [l for l in lines if "/* long */" in l["text"]]
    if "--long" in expect:
        check(longs, "the long line is shown")
    for l in longs:
        rows = round(l["height"] / one) if one > 0 else 0
        i = lines.index(l)
        after = lines[i + 1] if i + 1 < len(lines) and lines[i + 1]["pre"] == l["pre"] else None
        check(rows >= 2, "line %d: a long line wraps, to %d rows" % (l["line"], rows))
        if after:
            check(near(after["top"], l["bottom"]) and near(after["number_top"], after["top"]),
                  "line %d: the next line and its number right below it" % l["line"])
    copied = m["copied"].rstrip("\n").split("\n")
    first = m["copied_first"]
    check(copied == src[first - 1:first - 1 + len(copied)],
          "a copy of a snippet is the file's lines %d-%d, tabs and all, no line numbers"
          % (first, first + len(copied) - 1), repr(m["copied"][:200]))


def cmd_page(js, fn):
    for f in findings(js):
        if f["function"] == fn:
            print(f["n"])
            return
    sys.exit("dom.py: no finding in '%s'" % fn)


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "index":
        cmd_index(args[0], args[1], args[2], "--js-off" in args[3:])
    elif cmd == "click":
        cmd_click(*args)
    elif cmd == "tabs":
        cmd_tabs(*args)
    elif cmd == "page":
        cmd_page(*args)
        return 0
    else:
        sys.exit("dom.py: unknown command '%s'" % cmd)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
