"""The docs site: build it with `golf_docs` into a temporary folder, then open it in headless Chromium.

To stay within a few minutes on two cores only `index`, `95_docs` and one findings page (each of the last two draws a
plot) are executed; every other
notebook is still processed (prose and API docs), so every page must exist and be linked.
Chromium is Debian's `chromium` package (`apt-get install -y chromium`). Without it the browser checks are skipped,
unless CI is set, where a missing browser is a failure.
"""
import functools, html, html.parser, http.server, json, os, re, shutil, struct, subprocess, sys, tempfile, threading, time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
EXECUTED = ["index.ipynb", "95_docs.ipynb", "findings/seed_reproduction.ipynb"]
PLOT_PAGES = ["docs.html", "findings/seed_reproduction.html"]   # a module page and a findings page


def _doc_pages():
    from golf_nb.docs import doc_notebooks, page_name
    return [page_name(r) for r in doc_notebooks(ROOT / "nbs")]


def _title(nb_path):
    "The `# Title` of a notebook's first markdown cell."
    for c in json.loads(Path(nb_path).read_text())["cells"]:
        if c["cell_type"] == "markdown":
            m = re.search(r"^#\s+(.+)$", "".join(c["source"]), re.M)
            return m.group(1).strip() if m else None


# ---------------------------------------------------------------- links, read from the tags

class PageLinks(html.parser.HTMLParser):
    "The URLs a page links to or loads (`<a href>`, `<link href>`, `<img src>`, `<script src>`) and its element ids."
    URL_ATTR = {"a": "href", "link": "href", "img": "src", "script": "src"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links, self.ids = [], set()   # links: (tag, url, rel words)
        self.feed(text); self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.ids.update(v for k, v in attrs if v and (k == "id" or (tag == "a" and k == "name")))
        if tag in self.URL_ATTR and a.get(self.URL_ATTR[tag]) is not None:
            self.links.append((tag, a[self.URL_ATTR[tag]], (a.get("rel") or "").lower().split()))

    handle_startendtag = handle_starttag


def site_link_faults(out: Path) -> list[str]:
    """What is wrong with the links of the site in `out`: pages that load something from the network (scripts, images,
    style sheets) or MathJax, and links within the site to a missing file or to an id the page lacks.

    Links are read from the tags, so text is never a link: a code cell that shows `href="../dist.html#..."` (Pygments
    2.21 leaves its quotes unescaped) is not one. Links to an anchor of the same page are not checked; the themes' Jinja
    templates that Sphinx copies into `_static/` are not pages."""
    pages = {f.resolve(): PageLinks(f.read_text(encoding="utf-8")) for f in sorted(out.rglob("*.html"))}
    faults = []
    for f, page in pages.items():
        name = f.relative_to(out.resolve()).as_posix()
        for tag, url, rel in page.links:
            u = urlsplit(url)
            if u.netloc and (tag in ("script", "img") or (tag == "link" and {"stylesheet", "preload"} & set(rel))):
                faults.append(f"{name} loads something from the network: <{tag}> {url}")
            if tag == "script" and "mathjax" in url.lower(): faults.append(f"{name} loads MathJax: {url}")
            if u.scheme or u.netloc or not u.path or "_static" in Path(name).parts: continue
            target = ((out / u.path.lstrip("/")) if u.path.startswith("/") else (f.parent / unquote(u.path))).resolve()
            if not target.exists(): faults.append(f"{name} links to a missing file {url}")
            elif u.fragment and target.suffix == ".html":
                ids = (pages.get(target) or PageLinks(target.read_text(encoding="utf-8"))).ids
                if unquote(u.fragment) not in ids: faults.append(f"{name} links to {url}, which has no such id")
    return faults


def test_link_finder_reads_tags_not_text(tmp_path):
    "A code block that shows a link is no link; real links, loads and ids are found, and each kind of fault is named."
    code = ('<div class="highlight"><pre><span class="n">relink</span><span class="p">(</span>'   # as Pygments 2.21 renders it
            '<span class="s1">\'see &lt;a href="../dist.html#init-distributed"&gt;&lt;code&gt;x&lt;/code&gt;&lt;/a&gt;\'</span>'
            '<span class="s2">"&lt;script src="https://cdn.example/mathjax.js"&gt;"</span></pre></div>')
    docs = ('<html><head><link rel="stylesheet" href="_static/a.css"><script src="_static/b.js"></script></head><body>'
            f'<h1 id="docs">Docs</h1>{code}<p>See <a href="dist.html#init-distributed"><code>init_distributed</code></a>,'
            ' <a href="#docs">here</a>, <a href="https://example.com/x.html#y">away</a>.</p><img src="_images/p.png"/>'
            '<a name="old-anchor"></a></body></html>')
    page = PageLinks(docs)
    assert page.links == [("link", "_static/a.css", ["stylesheet"]), ("script", "_static/b.js", []),
                          ("a", "dist.html#init-distributed", []), ("a", "#docs", []),
                          ("a", "https://example.com/x.html#y", []), ("img", "_images/p.png", [])]
    assert page.ids == {"docs", "old-anchor"}

    (tmp_path / "_static").mkdir(); (tmp_path / "_images").mkdir(); (tmp_path / "findings").mkdir()
    for f in ("_static/a.css", "_static/b.js", "_images/p.png"): (tmp_path / f).write_text("x")
    (tmp_path / "docs.html").write_text(docs)
    (tmp_path / "dist.html").write_text('<h1 id="init-distributed">init_distributed</h1>')
    (tmp_path / "findings" / "a.html").write_text('<a href="../dist.html#init-distributed">up one folder</a>')
    (tmp_path / "_static" / "macros.html").write_text('<script src="{{ pathto(\'_static/x.js\', 1) }}"></script>')
    assert site_link_faults(tmp_path) == []

    (tmp_path / "dist.html").write_text('<h1 id="dist">dist</h1>')
    (tmp_path / "_images" / "p.png").unlink()
    (tmp_path / "findings" / "b.html").write_text('<link rel="stylesheet" href="//fonts.example/a.css">'
                                                  '<script src="_static/mathjax/tex.js"></script>')
    assert site_link_faults(tmp_path) == [
        "docs.html links to dist.html#init-distributed, which has no such id",
        "docs.html links to a missing file _images/p.png",
        "findings/a.html links to ../dist.html#init-distributed, which has no such id",
        "findings/b.html loads something from the network: <link> //fonts.example/a.css",
        "findings/b.html loads MathJax: _static/mathjax/tex.js",
        "findings/b.html links to a missing file _static/mathjax/tex.js"]


# ---------------------------------------------------------------- the built site

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    "Build the site once for this module; returns (site folder, seconds the build took)."
    tmp = tmp_path_factory.mktemp("docs")
    exe = shutil.which("golf_docs")
    cmd = [exe] if exe else [sys.executable, "-c", "import sys; from golf_nb.docs import docs_main; sys.exit(docs_main())"]
    cmd += ["--out", str(tmp / "site"), "--work_dir", str(tmp / "work")] + [a for nb in EXECUTED for a in ("--execute", nb)]
    t0 = time.time()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    secs = time.time() - t0
    assert r.returncode == 0, f"golf_docs failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-6000:]}"
    print(f"\ngolf_docs built the site in {secs:.1f} s:\n{r.stdout}")
    return tmp / "site", secs


def test_site_files(site):
    out, _ = site
    assert (out / "index.html").exists() and (out / "searchindex.js").exists()
    for page in _doc_pages():
        assert (out / f"{page}.html").exists(), f"no page for notebook {page}"
    faults = site_link_faults(out)                 # nothing from the network; links within the site land on a file and id
    assert not faults, f"{len(faults)} link faults:\n" + "\n".join(faults[:30])
    docs = (out / "docs.html").read_text(encoding="utf-8")
    assert "build-docs" in PageLinks(docs).ids and ">source</a>" in docs   # show_doc's API entry with its source link


# ---------------------------------------------------------------- the browser

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        msg = "headless Chromium not found (Debian: apt-get install -y chromium)"
        if IN_CI: pytest.fail(f"{msg}; CI is set, so the browser checks must run")
        pytest.skip(msg)
    return CHROMIUM


class _Quiet(http.server.SimpleHTTPRequestHandler):
    log = None
    def log_message(self, fmt, *args): pass
    def log_request(self, code="-", size="-"):
        self.log.append((self.path, int(code) if isinstance(code, int) else code))


@pytest.fixture(scope="module")
def server(site):
    "The site on http://127.0.0.1:<free port>/, with the list of (path, status) it served."
    log = []
    handler = functools.partial(type("H", (_Quiet,), {"log": log}), directory=str(site[0]))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", log
    httpd.shutdown(); httpd.server_close(); t.join(5)


def _chromium(browser, url, *args, timeout=90):
    with tempfile.TemporaryDirectory(prefix="golf_chromium_") as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *args, url]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=profile)
    assert r.returncode == 0, f"chromium failed on {url}: {r.stderr[-2000:]}"
    return r.stdout


def _dom(browser, url): return _chromium(browser, url, "--dump-dom", "--virtual-time-budget=5000")


def test_index_renders(browser, server):
    base, _ = server
    dom = _dom(browser, base + "index.html")
    assert "<title>golf_nb" in dom
    assert _title(ROOT / "nbs" / "index.ipynb") in dom
    for page in _doc_pages():
        if page != "index": assert f'href="{page}.html"' in dom, f"the index has no link to {page}.html"


def test_navigation_links_work(browser, server):
    base, _ = server
    dom = _dom(browser, base + "index.html")
    nav = re.search(r'<nav class="[^"]*\bbd-docs-nav\b[^"]*"[^>]*>(.*?)</nav>', dom, re.S)
    assert nav, "no sidebar navigation on the index"
    hrefs = list(dict.fromkeys(re.findall(r'<a class="reference internal" href="([^"#]+\.html)"', nav.group(1))))
    from golf_nb.docs import doc_notebooks, page_name
    titles = {page_name(r) + ".html": _title(ROOT / "nbs" / r) for r in doc_notebooks(ROOT / "nbs")}
    assert hrefs == [p for p in titles if p != "index.html"], "the navigation is not in the order of nbs/"
    for href in (hrefs[0], "docs.html"):                           # the first page, and the one with the plot
        page = _dom(browser, base + href)
        assert f"<h1>{html.escape(titles[href], quote=False)}" in page, f"{href} does not show its title {titles[href]!r}"


@pytest.mark.parametrize("page", PLOT_PAGES)
def test_page_shows_its_plot(browser, server, site, tmp_path, page):
    base, log = server
    dom = _dom(browser, base + page)
    imgs = re.findall(r'<img\b[^>]*\bsrc="([^"]+\.png)"', dom)
    assert imgs, f"{page} has no <img>"
    src = (Path(page).parent / imgs[0]).as_posix()                      # relative to the page
    png = site[0] / src
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, f"{png} is not a real PNG"
    w, h = struct.unpack(">II", data[16:24])
    assert w >= 300 and h >= 100, f"the plot is only {w}x{h}"
    fetched = "/" + os.path.normpath(src).replace(os.sep, "/")
    assert (fetched, 200) in log, f"the browser did not fetch {fetched}: {log[-5:]}"
    shot = tmp_path / "page.png"
    _chromium(browser, base + page, f"--screenshot={shot}", "--window-size=1280,1600", "--hide-scrollbars")
    import matplotlib.image
    px = matplotlib.image.imread(str(shot))[..., :3]
    assert px.std() > 0.05, f"the screenshot of {page} is blank"
    assert (px.mean(-1) < 0.9).mean() > 0.01, f"the screenshot of {page} is almost all white"


def test_search_works_offline(browser, server):
    base, _ = server
    dom = _dom(browser, base + "search.html?q=build_docs")
    results = re.search(r'<ul[^>]*class="search"[^>]*>(.*?)</ul>', dom, re.S)
    assert results and 'href="docs.html' in results.group(1), "Sphinx's search did not find build_docs on docs.html"
