import { launchBrowser, newPage } from './helpers.mjs';
const b = await launchBrowser(); const p = await newPage(b, 'http://127.0.0.1:38762');
const K = (await (await p.request.get('/api/v1/bodies')).json())[0].id;
await p.goto('/settings?view=lowvision&back=/');
for (const path of ['/', `/offerings?body=${K}`, `/client-map?body=${K}`, `/offerings/new?body=${K}`]) {
  await p.goto(path);
  console.log(path, await p.evaluate(() => {
    const small = new Map();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const n = walker.currentNode; if (!n.textContent.trim()) continue;
      const el = n.parentElement; if (el.closest('svg, .visually-hidden, .skip-link')) continue;
      const r = el.getBoundingClientRect(); if (!r.width) continue;
      const fs = parseFloat(getComputedStyle(el).fontSize);
      if (fs < 24) { const key = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' ' + fs + 'px'; small.set(key, (small.get(key) || '') ? small.get(key) : n.textContent.trim().slice(0, 30)); }
    }
    return [...small].slice(0, 15);
  }));
}
await b.close();
