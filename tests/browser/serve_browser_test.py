#!/usr/bin/env python3
"""End-to-end test of `fidx serve` in headless Chromium (Selenium).

Indexes the bundled corpus/ plus a few hostile filings written here (script
tags, event-handler attributes, javascript: URLs and broken markup in
company names, file names, descriptions and text), starts `fidx serve` on a
free loopback port, and drives the page as an analyst would: search, click a
facet, page, change the date range, open a document and step through its
matches, the back button. Every page is checked for injected script or
elements. Screenshots of the main states go to --out.

Skips (exit 77, which CTest reports as skipped) when chromium, chromedriver
or python3-selenium is missing, and says so.
Usage: serve_browser_test.py --fidx BUILD/cli/fidx --corpus corpus --out DIR
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

SKIP = 77

HOSTILE_NAME = '<script>window.pwned=1</script>Evil "Corp" & <b>Co</b><img src=x onerror="window.pwned=2">'
HOSTILE_FILE = 'x"><img src=x onerror=window.pwned=3>.htm'
HOSTILE_DESC = "javascript:window.pwned=4"


def hostile_submission(accession, cik, date, name, filename, description, body):
    return f"""<SEC-DOCUMENT>{accession}.txt : {date}
<SEC-HEADER>{accession}.hdr.sgml : {date}
ACCESSION NUMBER:\t\t{accession}
CONFORMED SUBMISSION TYPE:\t8-K
PUBLIC DOCUMENT COUNT:\t\t1
CONFORMED PERIOD OF REPORT:\t{date}
ITEM INFORMATION:\t\tOther Events
FILED AS OF DATE:\t\t{date}

FILER:

\tCOMPANY DATA:\t
\t\tCOMPANY CONFORMED NAME:\t\t\t{name}
\t\tCENTRAL INDEX KEY:\t\t\t{cik}
\t\tSTATE OF INCORPORATION:\t\t\tNV

\tBUSINESS ADDRESS:\t
\t\tCITY:\t\t\t<svg onload=window.pwned=5>
\t\tSTATE:\t\t\tNV
</SEC-HEADER>
<DOCUMENT>
<TYPE>EX-99.1
<SEQUENCE>1
<FILENAME>{filename}
<DESCRIPTION>{description}
<TEXT>
{body}
</TEXT>
</DOCUMENT>
</SEC-DOCUMENT>
"""


def write_hostile(folder):
    os.makedirs(folder, exist_ok=True)
    body = """<HTML><BODY>
<p>Hostilemarker press release. &lt;script&gt;window.pwned=6&lt;/script&gt; and
&lt;img src=x onerror=window.pwned=7&gt; are text here.</p>
<p><a href="javascript:window.pwned=8">click hostilemarker</a>
<img src=x onerror="window.pwned=9"><script>window.pwned=10</script></p>
<p>"&gt;&lt;/pre&gt;&lt;iframe src=javascript:window.pwned=11&gt; hostilemarker again.</p>
</BODY></HTML>"""
    with open(os.path.join(folder, "9999999999-24-000001.txt"), "w") as f:
        f.write(hostile_submission("9999999999-24-000001", "0009999001", "20240105",
                                   HOSTILE_NAME, HOSTILE_FILE, HOSTILE_DESC, body))
    with open(os.path.join(folder, 'hostile-<img src=x onerror=alert(1)>"loose.txt'), "w") as f:
        f.write("Hostilemarker loose text </pre><script>window.pwned=12</script>\n"
                "\"><svg onload=window.pwned=13> javascript:window.pwned=14\n")


def free_port_server(fidx, db):
    proc = subprocess.Popen([fidx, "serve", "--db", db, "--listen", "127.0.0.1:0"],
                            stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        raise SystemExit(f"fidx serve did not start: {line!r}")
    return proc, f"http://127.0.0.1:{m.group(1)}"


def api(base, path, **params):
    url = base + path + "?" + urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(url) as r:
        return json.load(r)


class Check:
    def __init__(self):
        self.failures = 0

    def __call__(self, ok, what):
        print(("ok      " if ok else "FAILED  ") + what)
        if not ok:
            self.failures += 1


def assert_clean(driver, check, where):
    """No filing string became script or markup on this page."""
    pwned = driver.execute_script("return window.pwned === undefined ? null : window.pwned")
    check(pwned is None, f"{where}: no injected script ran (window.pwned={pwned})")
    scripts = driver.execute_script(
        "return Array.from(document.scripts).map(s => s.getAttribute('src'))")
    check(scripts == ["/static/app.js"], f"{where}: the only script is /static/app.js ({scripts})")
    injected = driver.execute_script(
        "return document.querySelectorAll('img, iframe, svg, .who b, [onerror], [onload], "
        "a[href^=\"javascript:\"]').length")
    check(injected == 0, f"{where}: no injected element ({injected})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fidx", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    try:
        from selenium import webdriver
        from selenium.common.exceptions import NoAlertPresentException
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import Select
    except ImportError:
        print("skipped: python3-selenium is not installed (scripts/install-deps.sh)")
        return SKIP
    chromium = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        print("skipped: chromium or chromedriver is not installed (scripts/install-deps.sh)")
        return SKIP

    os.makedirs(args.out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="fidx-browser-")
    server = None
    driver = None
    check = Check()
    try:
        hostile = os.path.join(tmp, "hostile")
        write_hostile(hostile)
        db = os.path.join(tmp, "index")
        add = subprocess.run([args.fidx, "add", "--db", db, "--quiet", args.corpus, hostile],
                             capture_output=True, text=True)
        if add.returncode not in (0, 1):
            raise SystemExit(f"fidx add failed: {add.stderr}")
        server, base = free_port_server(args.fidx, db)

        opts = webdriver.ChromeOptions()
        opts.binary_location = chromium
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--window-size=1400,1000", "--no-first-run", "--disable-extensions"):
            opts.add_argument(a)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(chromedriver), options=opts)
        driver.set_page_load_timeout(30)
        driver.implicitly_wait(5)  # elements of a page still loading

        def wait_url(part, seconds=10):
            """Waits for a navigation to reach a URL containing `part`."""
            end = time.time() + seconds
            while time.time() < end:
                if part in driver.current_url and driver.execute_script(
                        "return document.readyState") == "complete":
                    return True
                time.sleep(0.05)
            return False

        def shot(name):
            path = os.path.join(args.out, name + ".png")
            driver.save_screenshot(path)
            print(f"        screenshot {path}")

        # 1. The front page, then a search typed into the box.
        driver.get(base + "/")
        check("filings indexed" in driver.find_element(By.CSS_SELECTOR, ".intro").text,
              "front page says how many filings are indexed")
        shot("01-front")
        box = driver.find_element(By.ID, "q")
        box.send_keys("orphan drug", Keys.ENTER)
        wait_url("q=orphan")
        total = driver.find_element(By.ID, "total").text
        check(total.startswith("1 filing match"), f"'orphan drug': 1 filing ({total!r})")
        first = driver.find_element(By.CSS_SELECTOR, ".hit")
        check("Cellectar Biosciences" in first.find_element(By.CSS_SELECTOR, ".who").text,
              "Cellectar's 8-K is the hit")
        check(first.find_element(By.CSS_SELECTOR, ".snippet mark").text.lower() in ("orphan", "drug"),
              "the snippet highlights the matched words")
        check("7.01" in first.text and "9.01" in first.text, "the hit lists the 8-K items")
        links = [a.get_attribute("href") for a in first.find_elements(By.CSS_SELECTOR, "a.ext")]
        check(any(l.endswith("0001144204-17-013452-index.htm") for l in links),
              "the hit links to the filing index on sec.gov")
        shot("02-results")

        # A page of several kinds of filings: who filed, about whom.
        driver.get(base + "/?q=" + urllib.parse.quote('shares'))
        whos = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".hit")]
        check(any("FEDERAL REALTY" in w and "JPMORGAN" in w for w in whos),
              "the SC 13G/A names its subject and, as filed by, JPMorgan")
        shot("02-shares")

        # 2. Every filing, a facet click, paging.
        driver.get(base + "/?q=*&n=5")
        everything = api(base, "/api/search", q="*", limit=0)["total"]
        shown = driver.find_element(By.ID, "total").text
        check(shown.startswith(f"{everything} filings match"), f"'*': {everything} filings ({shown!r})")
        form_facet = driver.find_element(By.CSS_SELECTOR, '.facet[data-facet="form"] li a')
        value = form_facet.find_element(By.CSS_SELECTOR, ".v").text
        count = int(form_facet.find_element(By.CSS_SELECTOR, ".n").text.replace(",", ""))
        form_facet.click()
        wait_url("f=form")
        check(f"f=form%3A{urllib.parse.quote(value, safe='')}" in driver.current_url.replace("+", "%20"),
              f"clicking form {value} puts the filter in the URL ({driver.current_url})")
        shown = driver.find_element(By.ID, "total").text
        check(shown.startswith(f"{count} filing"), f"form {value}: {count} filings, as its facet said ({shown!r})")
        check(all(e.text == value for e in driver.find_elements(By.CSS_SELECTOR, ".hit .form")),
              f"every hit is a {value}")
        shot("03-facet")
        driver.get(base + "/?q=*&n=5")
        seen = []
        pages = 0
        while True:
            pages += 1
            seen += [e.get_attribute("href") for e in driver.find_elements(By.CSS_SELECTOR, ".hit a.view")]
            nxt = driver.find_elements(By.CSS_SELECTOR, '.pager a[rel="next"]')
            if not nxt or pages > 50:
                break
            nxt[0].click()
            wait_url(f"page={pages + 1}")
        check(len(seen) == everything and len(set(seen)) == everything,
              f"paging 5 at a time shows all {everything} filings once ({len(seen)} over {pages} pages)")

        # 3. Date range: custom dates, and a preset.
        driver.get(base + "/?q=*")
        Select(driver.find_element(By.ID, "dr")).select_by_value("custom")
        frm = driver.find_element(By.NAME, "from")
        to = driver.find_element(By.NAME, "to")
        driver.execute_script("arguments[0].value='2017-01-01'; arguments[1].value='2017-12-31';", frm, to)
        driver.find_element(By.CSS_SELECTOR, "form.search button").click()
        wait_url("from=2017-01-01")
        in_2017 = api(base, "/api/search", q="* filed:2017-01-01..2017-12-31", limit=0)["total"]
        shown = driver.find_element(By.ID, "total").text
        check(in_2017 > 0 and shown.startswith(f"{in_2017} filing"),
              f"custom range 2017: {in_2017} filings ({shown!r})")
        check(all(t.text.startswith("2017") for t in driver.find_elements(By.CSS_SELECTOR, ".hit .dates time:first-child")),
              "every hit was filed in 2017")
        Select(driver.find_element(By.ID, "dr")).select_by_value("30d")
        check(wait_url("dr=30d"), "choosing 'last 30 days' searches at once")

        # 4. A document and its matches; the back button.
        driver.get(base + "/?q=" + urllib.parse.quote('orphan drug'))
        results_url = driver.current_url
        driver.find_element(By.CSS_SELECTOR, ".hit a.view").click()
        marks = driver.find_elements(By.CSS_SELECTOR, "#text a.hl mark")
        check(len(marks) >= 2, f"the document view marks every match ({len(marks)})")
        counter = driver.find_element(By.ID, "count")
        check(counter.text == f"1 of {len(marks)} matches", f"starts at the first match ({counter.text!r})")
        driver.find_element(By.TAG_NAME, "body").send_keys("n")
        check(counter.text == f"2 of {len(marks)} matches", f"'n' moves to the next match ({counter.text!r})")
        driver.find_element(By.ID, "next").click()
        check(counter.text == f"3 of {len(marks)} matches" or len(marks) == 2,
              f"'next' moves on ({counter.text!r})")
        driver.find_element(By.TAG_NAME, "body").send_keys("p")
        check(counter.text == f"2 of {len(marks)} matches", f"'p' moves back ({counter.text!r})")
        current = driver.find_elements(By.CSS_SELECTOR, "a.hl.current")
        check(len(current) == 1, "one match is the current one")
        check("Cellectar" in driver.find_element(By.CSS_SELECTOR, "aside.filing").text,
              "the filing's header is beside the text")
        shot("04-document")
        driver.back()
        check(driver.current_url == results_url, "the back button returns to the results")
        check(driver.find_element(By.ID, "total").text.startswith("1 filing"), "... with the same results")

        # 5. Hostile filings: searched, listed and viewed, nothing runs.
        driver.get(base + "/?q=hostilemarker")
        shown = driver.find_element(By.ID, "total").text
        check(shown.startswith("2 filings"), f"both hostile files are found ({shown!r})")
        who = driver.find_elements(By.CSS_SELECTOR, ".hit .who")
        check(any("<script>window.pwned=1</script>" in w.text for w in who),
              "the hostile company name shows as text")
        assert_clean(driver, check, "hostile results")
        shot("05-hostile-results")
        views = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".hit a.view")]
        for i, href in enumerate(views):
            check(href.startswith(base + "/doc/"), f"hostile hit {i + 1} links to the document view")
            driver.get(href)
            assert_clean(driver, check, f"hostile document {i + 1}")
            check("hostilemarker" in driver.find_element(By.ID, "text").text.lower(),
                  f"hostile document {i + 1} shows its text")
        shot("06-hostile-document")
        driver.get(base + "/?q=*&f=cik:9999001")
        assert_clean(driver, check, "hostile facets")
        try:
            driver.switch_to.alert
            check(False, "no alert was opened")
        except NoAlertPresentException:
            check(True, "no alert was opened")

        # 6. A narrow screen.
        driver.set_window_size(420, 900)
        driver.get(base + "/?q=" + urllib.parse.quote('orphan drug'))
        width = driver.execute_script("return document.documentElement.scrollWidth")
        check(width <= 420, f"no sideways scrolling on a 420 px screen ({width} px)")
        shot("07-narrow")
    finally:
        if driver:
            driver.quit()
        if server:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{check.failures} failed" if check.failures else "all checks passed")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
