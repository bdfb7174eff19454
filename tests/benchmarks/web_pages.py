"""Hand-written but realistic web pages (forms, dashboards, settings) and the real docs to render.

The hand-written pages use Bootstrap 5 from Debian's ``libjs-bootstrap5`` when
it is installed (a small built-in stylesheet otherwise); the documentation
pages are the real HTML of Debian's ``sphinx-doc`` and ``libffi`` docs.
Checkboxes and radios are native ``<input>`` elements.
"""

from __future__ import annotations

import html
import random
from pathlib import Path

from tests.benchmarks import words

__all__ = ["BOOTSTRAP", "doc_pages", "page_form", "page_dashboard", "page_settings",
           "page_zh_form", "PAGE_BUILDERS"]

BOOTSTRAP = Path("/usr/share/javascript/bootstrap5/css/bootstrap.min.css")
DOC_ROOTS = [Path("/usr/share/doc/sphinx-doc/html"), Path("/usr/share/doc/libffi8/html"),
             Path("/usr/share/doc/libxslt1-dev/html")]

_FALLBACK_CSS = """
body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:0;color:#212529}
.container{margin:0 auto;padding:16px}.navbar{display:flex;gap:16px;padding:10px 16px;background:#0d6efd}
.navbar a{color:#fff;text-decoration:none}.btn{padding:6px 12px;border:1px solid #0d6efd;border-radius:6px;
background:#0d6efd;color:#fff;margin-right:6px}.form-control,.form-select{display:block;width:100%;padding:6px;
margin-bottom:8px}.row{display:flex;flex-wrap:wrap;gap:12px}.col-sm-6{flex:1 1 45%}.card{border:1px solid #ddd;
border-radius:8px;padding:12px;margin:8px 0}.nav-tabs{display:flex;gap:4px;border-bottom:1px solid #ccc}
.nav-link{padding:8px 12px;display:block}table{border-collapse:collapse;width:100%}td,th{padding:6px;
border-bottom:1px solid #ddd;text-align:left}
"""
_DARK_CSS = """
body{background:#1e1f24!important;color:#e6e6e6!important}
.card,.list-group-item,.table,.modal-content{background:#2a2b31!important;color:#e6e6e6!important;
--bs-table-bg:#2a2b31;--bs-table-color:#e6e6e6;border-color:#444!important}
.form-control,.form-select{background-color:#2a2b31!important;color:#eee!important;border-color:#555!important}
.text-muted{color:#a0a0a0!important}.bg-light{background:#25262b!important}
a{color:#7ab2ff}.border-bottom,.border-end{border-color:#444!important}
"""


def _head(title: str, dark: bool, lang: str = "en", extra: str = "") -> str:
    css = (f'<link rel="stylesheet" href="{BOOTSTRAP.as_uri()}">' if BOOTSTRAP.exists()
           else f"<style>{_FALLBACK_CSS}</style>")
    style = (_DARK_CSS if dark else "") + extra
    scheme = "dark" if dark else "light"
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="color-scheme" content="{scheme}"><title>{html.escape(title)}</title>'
            f"{css}<style>{style}</style></head>")


def _e(text: str) -> str:
    return html.escape(text)


def _navbar(brand: str, links: list[str], button: str = "") -> str:
    items = "".join(f'<li class="nav-item"><a class="nav-link" href="#{i}">{_e(t)}</a></li>'
                    for i, t in enumerate(links))
    btn = f'<button class="btn btn-outline-light btn-sm ms-auto" type="button">{_e(button)}</button>' if button else ""
    return (f'<nav class="navbar navbar-expand navbar-dark bg-primary px-3"><a class="navbar-brand" '
            f'href="#">{_e(brand)}</a><ul class="navbar-nav">{items}</ul>{btn}</nav>')


def _field(fid: str, label: str, placeholder: str = "", kind: str = "text", col: int = 6) -> str:
    return (f'<div class="col-sm-{col}"><label for="{fid}" class="form-label">{_e(label)}</label>'
            f'<input type="{kind}" class="form-control" id="{fid}" placeholder="{_e(placeholder)}"></div>')


def _select(fid: str, label: str, items: list[str], col: int = 6) -> str:
    opts = "".join(f"<option>{_e(i)}</option>" for i in items)
    return (f'<div class="col-sm-{col}"><label for="{fid}" class="form-label">{_e(label)}</label>'
            f'<select class="form-select" id="{fid}">{opts}</select></div>')


def _check(fid: str, label: str, checked: bool, kind: str = "checkbox", name: str = "") -> str:
    attrs = (" checked" if checked else "") + (f' name="{name}"' if name else "")
    return (f'<div class="form-check"><input class="form-check-input" type="{kind}" id="{fid}"{attrs}>'
            f'<label class="form-check-label" for="{fid}">{_e(label)}</label></div>')


def _radios(prefix: str, question: str, options: list[str], rng: random.Random) -> str:
    chosen = rng.randrange(len(options))
    body = "".join(_check(f"{prefix}{i}", o, i == chosen, "radio", prefix) for i, o in enumerate(options))
    return f'<fieldset class="my-3"><legend class="fs-6 fw-semibold">{_e(question)}</legend>{body}</fieldset>'


def page_form(rng: random.Random, dark: bool) -> str:
    """A checkout or sign-up form."""
    brand = rng.choice(["Acme Store", "Northwind", "Bluebird Shop", "Contoso"])
    heading = rng.choice(["Checkout", "Create your account", "Billing details", "Contact us"])
    fields = rng.sample(words.FIELDS, rng.randint(4, 6))
    body = "".join(_field(f"f{i}", lab, ph, "password" if lab == "Password" else "text")
                   for i, (lab, ph) in enumerate(fields))
    combos = rng.sample(words.COMBOS, rng.randint(1, 2))
    body += "".join(_select(f"s{i}", lab, items) for i, (lab, items) in enumerate(combos))
    question, options = rng.choice(words.RADIO_GROUPS)
    checks = "".join(_check(f"c{i}", t, rng.random() < 0.4)
                     for i, t in enumerate(rng.sample(words.CHECKBOXES, rng.randint(2, 4))))
    primary = rng.choice(["Continue", "Submit", "Place order", "Send message", "Sign up"])
    return (_head(f"{heading} - {brand}", dark) + "<body>"
            + _navbar(brand, rng.sample(["Home", "Products", "Pricing", "Support", "Blog", "About"], 4),
                      rng.choice(["Sign in", "Log out", "Cart"]))
            + f'<main class="container py-4" style="max-width:760px"><h2>{_e(heading)}</h2>'
            f'<p class="text-muted">{_e(rng.choice(words.PARAGRAPHS))}</p><form><div class="row g-3">'
            f"{body}</div>{_radios('r', question, options, rng)}{checks}<hr>"
            f'<button class="btn btn-primary btn-lg" type="button">{_e(primary)}</button> '
            f'<button class="btn btn-outline-secondary btn-lg" type="button">Cancel</button>'
            "</form></main></body></html>")


def _table(rng: random.Random) -> str:
    rows = []
    for i, name in enumerate(rng.sample(words.SENDERS, rng.randint(4, 6))):
        rows.append(f"<tr><td>#{1000 + i * 7}</td><td>{_e(name)}</td><td>${rng.randint(20, 900)}.00</td>"
                    f"<td>{rng.choice(['Paid', 'Pending', 'Refunded'])}</td><td>"
                    '<button class="btn btn-sm btn-outline-primary" type="button">Edit</button> '
                    '<button class="btn btn-sm btn-outline-danger" type="button">Remove</button></td></tr>')
    return ('<table class="table table-sm align-middle"><thead><tr><th>Order</th><th>Customer</th>'
            f'<th>Total</th><th>Status</th><th>Actions</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def page_dashboard(rng: random.Random, dark: bool) -> str:
    """An admin dashboard: top bar with search, sidebar, tabs, stat cards, a table with row actions."""
    brand = rng.choice(["Company name", "Admin Panel", "Insights", "Ops Console"])
    side = rng.sample(["Dashboard", "Orders", "Products", "Customers", "Reports", "Integrations",
                       "Invoices", "Team"], 6)
    tabs = rng.sample(["Overview", "Analytics", "Reports", "Notifications", "Activity", "Billing"], 4)
    tab_html = "".join(f'<li class="nav-item" role="presentation"><button class="nav-link{" active" if i == 0 else ""}" '
                       f'role="tab" type="button">{_e(t)}</button></li>' for i, t in enumerate(tabs))
    cards = "".join(f'<div class="col"><div class="card p-3"><div class="text-muted">{_e(t)}</div>'
                    f'<div class="fs-3 fw-bold">{rng.randint(10, 9999):,}</div></div></div>'
                    for t in rng.sample(["Revenue", "Visitors", "Sales", "Sign-ups", "Returns"], 3))
    side_html = "".join(f'<li class="nav-item"><a class="nav-link" href="#{_e(s)}">{_e(s)}</a></li>' for s in side)
    checks = "".join(_check(f"d{i}", t, rng.random() < 0.5)
                     for i, t in enumerate(rng.sample(words.CHECKBOXES, rng.randint(2, 3))))
    return (_head(f"{brand} - Dashboard", dark) + "<body>"
            + '<header class="navbar navbar-dark bg-dark px-3"><a class="navbar-brand" href="#">'
            f'{_e(brand)}</a><input class="form-control w-50" type="search" placeholder="Search" '
            'aria-label="Search"><button class="btn btn-outline-light" type="button">Sign out</button></header>'
            '<div class="container-fluid"><div class="row"><nav class="col-md-2 bg-light border-end py-3">'
            f'<ul class="nav flex-column">{side_html}</ul></nav><main class="col-md-10 px-4 py-3">'
            f'<div class="d-flex align-items-center mb-2"><h2 class="me-auto">{_e(side[0])}</h2>'
            '<button class="btn btn-sm btn-outline-secondary me-2" type="button">Share</button>'
            '<button class="btn btn-sm btn-outline-secondary" type="button">Export</button></div>'
            f'<ul class="nav nav-tabs mb-3" role="tablist">{tab_html}</ul>'
            f'<div class="row row-cols-3 g-3 mb-3">{cards}</div>{_table(rng)}'
            f'<div class="card p-3"><h6>Filters</h6>{checks}</div></main></div></div></body></html>')


_SETTINGS_CSS = """
body{font-family:'DejaVu Sans',sans-serif;margin:0}
.tabs{display:flex;gap:2px;border-bottom:1px solid #999;padding:0 16px;margin-top:12px}
.tabs button{border:1px solid #999;border-bottom:none;padding:6px 14px;background:Canvas;color:CanvasText;
border-radius:6px 6px 0 0;font:inherit}.tabs button[aria-selected=true]{font-weight:bold}
section{padding:8px 24px}fieldset{margin:10px 0;border:1px solid #8884;border-radius:6px}
.row2{display:grid;grid-template-columns:160px 280px;gap:8px 12px;align-items:center;margin:8px 0}
footer{padding:12px 24px;display:flex;gap:8px;justify-content:flex-end}
footer button{font:inherit;padding:6px 16px}
"""


def page_settings(rng: random.Random, dark: bool) -> str:
    """A plain settings page with native controls and a tab strip (no framework)."""
    tabs = rng.sample(words.TABS, rng.randint(3, 5))
    tab_html = "".join(f'<button role="tab" aria-selected="{str(i == 0).lower()}">{_e(t)}</button>'
                       for i, t in enumerate(tabs))
    checks = "".join(f'<div><input type="checkbox" id="k{i}"{" checked" if rng.random() < 0.5 else ""}>'
                     f'<label for="k{i}">{_e(t)}</label></div>'
                     for i, t in enumerate(rng.sample(words.CHECKBOXES, rng.randint(3, 5))))
    question, options = rng.choice(words.RADIO_GROUPS)
    radios = "".join(f'<label><input type="radio" name="q"{" checked" if i == 0 else ""}> {_e(o)}</label> '
                     for i, o in enumerate(options))
    rows = "".join(f'<label for="t{i}">{_e(lab)}</label><input id="t{i}" type="text" placeholder="{_e(ph)}">'
                   for i, (lab, ph) in enumerate(rng.sample(words.FIELDS, 2)))
    label, items = rng.choice(words.COMBOS)
    rows += (f'<label for="sel">{_e(label)}</label><select id="sel">'
             + "".join(f"<option>{_e(i)}</option>" for i in items) + "</select>")
    title = rng.choice(["Settings", "Preferences", "Account settings"])
    return (f'<!doctype html><html><head><meta charset="utf-8"><meta name="color-scheme" '
            f'content="{"dark" if dark else "light"}"><title>{_e(title)}</title><style>{_SETTINGS_CSS}</style>'
            f'</head><body><h1 style="margin:16px 24px 0">{_e(title)}</h1><div class="tabs" role="tablist">'
            f'{tab_html}</div><section><fieldset><legend>{_e(rng.choice(["Behaviour", "General", "Startup"]))}'
            f"</legend>{checks}</fieldset><fieldset><legend>{_e(question)}</legend>{radios}</fieldset>"
            f'<div class="row2">{rows}</div></section><footer><button>Reset</button><button>Cancel</button>'
            f"<button>{_e(rng.choice(['Save changes', 'Apply', 'OK']))}</button></footer></body></html>")


def page_zh_form(rng: random.Random, dark: bool) -> str:
    """A Chinese sign-in / settings form."""
    zh = words.ZH
    fields = "".join(_field(f"z{i}", lab, "", "password" if lab == "密码" else "text")
                     for i, lab in enumerate(rng.sample(zh["fields"], 3)))
    label, items = rng.choice(zh["combos"])
    checks = "".join(_check(f"zc{i}", t, rng.random() < 0.4)
                     for i, t in enumerate(rng.sample(zh["checkboxes"], rng.randint(2, 4))))
    question, options = zh["radios"][0]
    buttons = rng.choice([["保存", "取消"], ["确定", "取消"], ["登录", "注册"]])
    return (_head("用户设置", dark, "zh-CN") + "<body>" + _navbar("我的应用", ["首页", "消息", "帮助"])
            + '<main class="container py-4" style="max-width:640px"><h2>' + _e(rng.choice(zh["titles"]))
            + f'</h2><form><div class="row g-3">{fields}{_select("zs", label, items)}</div>'
            + _radios("zr", question, options, rng) + checks + "<hr>"
            + f'<button class="btn btn-primary" type="button">{buttons[0]}</button> '
            + f'<button class="btn btn-outline-secondary" type="button">{buttons[1]}</button>'
            + "</form></main></body></html>")


PAGE_BUILDERS = {"form": page_form, "dashboard": page_dashboard, "settings": page_settings,
                 "zh": page_zh_form}


def doc_pages() -> list[Path]:
    """Real documentation pages that ship in Debian packages on this machine, sorted."""
    pages: list[Path] = []
    for root in DOC_ROOTS:
        if root.is_dir():
            pages.extend(p for p in sorted(root.rglob("*.html"))
                         if "_modules" not in p.parts and "genindex" not in p.name and p.stat().st_size > 3000)
    return pages
