#!/bin/sh
# chaosd run --report html=FILE, rendered by a real browser: a short run
# (a service killed by SIGSEGV and restarted, a check that fails under a
# slow-down and recovers, two faults), its HTML report opened in headless
# Chromium. The DOM Chromium builds has a lane per fault, service and
# check, the failing probes on the health check's lane, the death and
# the restart on the writer's, the brackets of the time to detect and to
# recover; the hostile text of the scenario is text (no element made
# from it, no script at all); nothing refers to the network. The
# screenshot is not blank: it holds the colours of passing and failing
# probes, of the verdict and of the fault windows.
. "$abs_top_srcdir/tests/integration/report-lib.sh"
require_prog_ chromium

report_scenario_ rep.ini
run_ 0 rep.ini --report html=report.html --report json=report.json
expect_eq "restarts (JSON)" 1 "$(json_ 'r["services"][1]["restarts"]')"
expect_eq "slow-web detected (JSON)" True \
	"$(json_ 'r["faults"][1]["time_to_detect_ms"] is not None')"

# the file itself: one piece, nothing to fetch, no script
"$PYTHON" - report.html <<'EOT' || fail_ "report.html: see above"
import sys
from html.parser import HTMLParser

class Refs(HTMLParser):
    bad = []
    def handle_starttag(self, tag, attrs):
        if tag in ("script", "link", "iframe", "object", "embed", "img",
                   "base", "form", "audio", "video", "source"):
            self.bad.append(tag)
        for k, v in attrs:
            if k in ("src", "href", "action", "srcset", "background") or \
                    k.startswith("on"):
                self.bad.append("%s %s=%r" % (tag, k, v))

raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8")      # valid UTF-8, or this raises
low = text.lower()
assert "<script" not in low, "a script in the report"
for bad in ("url(", "@import", "http-equiv=\"refresh\""):
    assert bad not in low, "the report refers elsewhere: %r" % bad
assert "content-security-policy" in low and "default-src 'none'" in low
ctl = [c for c in raw if c < 0x20 and c not in (9, 10)]
assert not ctl, "control characters in the report: %r" % ctl[:5]
r = Refs()
r.feed(text)
assert not r.bad, "elements or attributes that load or run: %r" % r.bad
print("ok: report.html: %d bytes, self-contained" % len(raw))
EOT

# the DOM Chromium made of it
chromium_ --dump-dom "file://$tmp/report.html" >dom.html 2>chrome.err ||
	{ tail -5 chrome.err >&2; fail_ "chromium --dump-dom failed"; }
"$PYTHON" - dom.html <<'EOT' || fail_ "the DOM Chromium built: see above"
import sys
from html.parser import HTMLParser

class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.lanes, self.tags, self.h1 = [], [], {}, ""
        self.titles, self.lane = [], None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        cls = a.get("class", "")
        if tag == "g" and cls.startswith("lane "):
            self.lane = {"kind": cls.split()[1], "name": a["data-name"],
                         "outcome": a.get("data-outcome"), "marks": [],
                         "depth": len(self.stack)}
            self.lanes.append(self.lane)
        elif self.lane and tag in ("rect", "path", "circle", "g") and cls:
            self.lane["marks"].append(cls)
        self.stack.append(tag)
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
        if self.lane and len(self.stack) <= self.lane["depth"]:
            self.lane = None
    def handle_data(self, data):
        if self.stack and self.stack[-1] == "h1":
            self.h1 += data
        if self.stack and self.stack[-1] == "title" and self.lane:
            self.titles.append((self.lane["name"], data))

d = Dom()
d.feed(open(sys.argv[1], encoding="utf-8").read())
lanes = {(l["kind"], l["name"]): l for l in d.lanes}
want = {("fault", "crash"), ("fault", "slow-web"), ("service", "web"),
        ("service", "writer"), ("check", "health"), ("check", "files")}
assert set(lanes) == want, "lanes: %r" % sorted(lanes)
health = lanes[("check", "health")]["marks"]
assert "p fail" in health, "no failing probe on health's lane: %r" % health
assert "p pass" in health, health
assert "p fail" not in lanes[("check", "files")]["marks"]
writer = lanes[("service", "writer")]["marks"]
assert "death" in writer and "restart" in writer and "down" in writer, writer
assert "death" not in lanes[("service", "web")]["marks"]
slow = lanes[("fault", "slow-web")]
assert slow["outcome"] == "rec", slow["outcome"]
assert "fw rec" in slow["marks"] and "ttd" in slow["marks"] and \
    "ttr" in slow["marks"], slow["marks"]
# the crash is not the health check's business; a loaded machine may
# still slow a probe past its timeout in that window
assert lanes[("fault", "crash")]["outcome"] in ("ok", "rec")
assert any(n == "writer" and "SIGSEGV" in t for n, t in d.titles), \
    "no SIGSEGV on the writer's death"
# the hostile name is the heading's text, not markup
assert d.h1 == 'web<script>alert("1&2")<\\script>\'', repr(d.h1)
assert d.tags.get("script", 0) == 0 and d.tags.get("img", 0) == 0, d.tags
print("ok: DOM: %d lanes, health marks %s, writer marks %s" %
      (len(lanes), sorted(set(health)), sorted(set(writer))))
EOT

# what it looks like: not blank, and the colours that tell the story
chromium_ --window-size=1280,1000 --screenshot="$tmp/shot.png" \
	"file://$tmp/report.html" >/dev/null 2>chrome.err ||
	{ tail -5 chrome.err >&2; fail_ "chromium --screenshot failed"; }
[ -s shot.png ] || fail_ "no screenshot"
"$PYTHON" "$abs_top_srcdir/tests/integration/png-colours.py" shot.png \
	'probe passed=3bb273' 'probe failed=e04848' 'verdict passed=1f9d55' \
	'fault detected and recovered=e8a33d' 'service up=9fd8b3' ||
	fail_ "the screenshot lacks what the report should show"
