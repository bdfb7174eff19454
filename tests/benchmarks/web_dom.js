// Reads every visible element of interest from the page, boxes in device pixels.
// Called by gen_web_screens.py as page.evaluate(<this file>); returns a list of
// plain objects matching tests/benchmarks/truth.py's Element fields.
() => {
  const dpr = window.devicePixelRatio;
  const vw = window.innerWidth, vh = window.innerHeight;
  const px = (r) => [r.left * dpr, r.top * dpr, r.right * dpr, r.bottom * dpr].map((v) => Math.round(v * 100) / 100);
  const clean = (t) => (t || "").replace(/\s+/g, " ").trim();
  const inView = (r) => r.width >= 2 && r.height >= 2 && r.left >= 0 && r.top >= 0 && r.right <= vw && r.bottom <= vh;
  const shown = (el, r) => {
    const st = getComputedStyle(el);
    if (st.visibility !== "visible" || st.display === "none" || parseFloat(st.opacity) === 0) return false;
    // Something else painted on top (a sticky header, a popup) hides it.
    const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    return !!hit && (hit === el || el.contains(hit) || hit.contains(el) || (hit.tagName === "LABEL" && hit.control === el));
  };
  const textRect = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return range.getBoundingClientRect();
  };
  const labelOf = (el) => {
    if (el.labels && el.labels.length) return el.labels[0];
    return el.closest("label");
  };
  const groupOf = (el) => {
    const fs = el.closest("fieldset");
    if (fs && fs.querySelector("legend")) return clean(fs.querySelector("legend").innerText);
    const card = el.closest(".card");
    if (card && card.querySelector("h5,h6")) return clean(card.querySelector("h5,h6").innerText);
    return "";
  };
  const out = [];
  const seen = new Set();
  const add = (el, rec) => {
    if (seen.has(el)) return;
    seen.add(el);
    out.push(Object.assign({ id: "e" + out.length, window: document.title, group: groupOf(el), label: "",
                             icon: "", clickable: true, indicator: null, label_box: null, checked: null }, rec));
  };
  for (const el of document.querySelectorAll("input, select, textarea, button, a[href], [role=tab]")) {
    const r = el.getBoundingClientRect();
    if (!inView(r) || !shown(el, r)) continue;
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (el.tagName === "INPUT" && (type === "checkbox" || type === "radio")) {
      const lab = labelOf(el);
      let box = r, labelBox = null, text = "";
      if (lab) {
        const tr = textRect(lab);
        text = clean(lab.innerText);
        if (inView(tr)) {
          labelBox = px(tr);
          box = { left: Math.min(r.left, tr.left), top: Math.min(r.top, tr.top),
                  right: Math.max(r.right, tr.right), bottom: Math.max(r.bottom, tr.bottom) };
        }
        seen.add(lab);
      }
      add(el, { kind: type, role: type, text, box: px(box), indicator: px(r), label_box: labelBox,
                checked: el.checked });
    } else if (el.getAttribute("role") === "tab") {
      add(el, { kind: "tab", role: "tab", text: clean(el.innerText), box: px(r),
                checked: el.getAttribute("aria-selected") === "true" || el.classList.contains("active") });
    } else if (el.tagName === "SELECT") {
      const lab = labelOf(el);
      add(el, { kind: "combo", role: "dropdown", text: clean(el.options[el.selectedIndex]?.text),
                box: px(r), label: lab ? clean(lab.innerText) : (el.getAttribute("aria-label") || "") });
    } else if (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && !["submit", "button", "reset", "hidden"].includes(type))) {
      const lab = labelOf(el);
      add(el, { kind: "field", role: "field", text: el.value || "", box: px(r),
                label: lab ? clean(lab.innerText) : (el.getAttribute("aria-label") || el.placeholder || "") });
    } else if (el.tagName === "BUTTON" || el.tagName === "INPUT") {
      add(el, { kind: "button", role: "button", text: clean(el.innerText || el.value), box: px(r) });
    } else if (el.tagName === "A") {
      const text = clean(el.innerText);
      if (text) add(el, { kind: "link", role: "link", text, box: px(r) });
    }
  }
  // Plain text: headings, paragraphs, labels, cells; needed to tell which targets are unambiguous.
  for (const el of document.querySelectorAll("h1,h2,h3,h4,h5,h6,p,li,td,th,label,legend,dt,dd,div.text-muted,div.fs-3,span,code,pre,caption")) {
    if (seen.has(el) || el.querySelector("input,select,button,textarea")) continue;
    const text = clean(el.innerText);
    if (!text || el.closest("a,button,[role=tab]")) continue;
    // A list item that is only a link is the link, already recorded.
    let rest = text;
    for (const c of el.querySelectorAll("a,button,[role=tab]")) rest = rest.replace(clean(c.innerText), "");
    if (!clean(rest)) continue;
    const tr = textRect(el);
    if (!inView(tr) || !shown(el, tr)) continue;
    add(el, { kind: "label", role: "text", text: text.slice(0, 400), box: px(tr), clickable: false });
  }
  return out;
}
