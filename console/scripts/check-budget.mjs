// The console's bundle budget, checked by `npm run build`: the JavaScript the first page loads
// (index.html's entry and the chunks it imports statically) must stay under 300 KB gzipped,
// and ECharts must not be part of it (it is loaded by the reports page only).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = path.resolve(import.meta.dirname, '..', 'dist');
const BUDGET = Number(process.env.CONSOLE_JS_BUDGET_BYTES || 300 * 1024);
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const initial = new Set([...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]));
// Follow static imports of the entry chunks (Vite emits them as modulepreload links too; this catches both).
const queue = [...initial];
while (queue.length) {
  const file = queue.pop();
  const text = fs.readFileSync(path.join(dist, file), 'utf8');
  for (const m of text.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w${},\s*]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    const dep = `assets/${m[1]}`;
    if (!initial.has(dep)) {
      initial.add(dep);
      queue.push(dep);
    }
  }
}
let total = 0;
const lines = [];
for (const file of initial) {
  const text = fs.readFileSync(path.join(dist, file));
  const gz = zlib.gzipSync(text, { level: 9 }).length;
  total += gz;
  lines.push(`  ${file}: ${(gz / 1024).toFixed(1)} KB gzipped`);
  if (/echarts|zrender/i.test(file) || text.includes('__ec_inner_')) {
    console.error(`console bundle: ${file} holds ECharts in the initial load; it must be loaded by the reports page only`);
    process.exit(1);
  }
}
const all = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
console.log(
  `console bundle: initial JS ${(total / 1024).toFixed(1)} KB gzipped of ${(BUDGET / 1024).toFixed(0)} KB budget (${initial.size} of ${all.length} chunks)`,
);
console.log(lines.join('\n'));
if (total > BUDGET) {
  console.error(`console bundle over budget: ${total} > ${BUDGET} bytes gzipped`);
  process.exit(1);
}
