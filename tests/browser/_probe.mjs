import { launchBrowser, newPage, startDemo, bodyId } from './helpers.mjs';
const s = await startDemo(); const b = await launchBrowser();
try {
const p = await newPage(b, s.url);
const id = await bodyId(p, 'Контрольно-счётная палата (демо)');
for (const w of [1280, 1024, 800, 390]) {
  await p.setViewportSize({ width: w, height: 900 });
  for (const path of ['/', `/offerings?body=${id}`, `/client-map?body=${id}`, `/offerings/new?body=${id}`, `/segments?body=${id}`]) {
    await p.goto(path);
    const r = await p.evaluate(() => {
      const W = document.documentElement.clientWidth;
      const over = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > W + 1).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 6);
      return { sw: document.documentElement.scrollWidth, W, over };
    });
    console.log(w, path.slice(0, 20), JSON.stringify(r));
  }
}
} finally { await b.close(); await s.stop(); }
