const out = [];
for (const el of document.querySelectorAll('[data-role]')) {
  const r = el.getBoundingClientRect();
  out.push({role: el.dataset.role, label: el.dataset.label || el.textContent.trim(),
            checked: !!(el.checked || el.classList.contains('on')), box: [r.left, r.top, r.right, r.bottom]});
}
const texts = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode, tag = node.parentElement.tagName;
  if (!node.textContent.trim() || node.parentElement.id === 'gt' || tag === 'SCRIPT' || tag === 'STYLE' ||
      tag === 'OPTION') continue;
  let line = null;
  for (const m of node.textContent.matchAll(/\S+/g)) {
    const range = document.createRange();
    range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
    const r = range.getBoundingClientRect();
    if (r.width === 0) continue;
    const box = [r.left, r.top, r.right, r.bottom];
    if (line && Math.abs(line.box[1] - r.top) < 2 && r.left - line.box[2] < r.height * 0.8) {
      line.text += ' ' + m[0]; line.box[2] = r.right; line.box[3] = Math.max(line.box[3], r.bottom);
      line.words.push([m[0], box]);
    } else {
      if (line) texts.push(line);
      line = {text: m[0], box: box.slice(), words: [[m[0], box]]};
    }
  }
  if (line) texts.push(line);
}
for (const inp of document.querySelectorAll('input:not([type]), input[type=text], input[type=email], input[type=search], input[type=password]')) {
  const t = inp.type === 'password' ? '' : (inp.value || inp.placeholder);
  if (!t) continue;
  const r = inp.getBoundingClientRect(), fs = parseFloat(getComputedStyle(inp).fontSize);
  const pl = parseFloat(getComputedStyle(inp).paddingLeft) + parseFloat(getComputedStyle(inp).borderLeftWidth);
  texts.push({text: t, box: [r.left + pl, r.top + (r.height - fs * 1.2) / 2, r.left + pl + t.length * fs * 0.55,
                             r.top + (r.height + fs * 1.2) / 2]});
}
for (const sel of document.querySelectorAll('select')) {
  const r = sel.getBoundingClientRect(), fs = parseFloat(getComputedStyle(sel).fontSize);
  texts.push({text: sel.options[sel.selectedIndex].text,
              box: [r.left + 4, r.top + (r.height - fs * 1.2) / 2, r.right - 20, r.top + (r.height + fs * 1.2) / 2]});
}
document.getElementById('gt').textContent = JSON.stringify({controls: out, texts: texts});
