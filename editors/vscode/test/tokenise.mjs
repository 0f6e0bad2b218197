// Tokenises sigil files with the extension's TextMate grammar, headless (vscode-textmate with the
// Oniguruma engine, as VS Code runs grammars), and prints one JSON line per file:
//   {"file": ..., "lines": n, "tokens": n, "unscoped": [...], "invalid": [...], "scopes": {...}}
// "unscoped" lists tokens that carry no scope but the root one, "invalid" those scoped invalid.*.
// Usage: node tokenise.mjs file.sigil...   (a file named '-' reads sigil snippets from stdin, separated by NUL).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
await oniguruma.loadWASM(wasm);
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async (scopeName) => scopeName === 'source.sigil'
    ? vsctm.parseRawGrammar(fs.readFileSync(path.join(here, '..', 'syntaxes', 'sigil.tmLanguage.json'), 'utf8'), 'sigil.tmLanguage.json')
    : null,
});
const grammar = await registry.loadGrammar('source.sigil');

function tokenise(name, text) {
  let state = vsctm.INITIAL;
  const result = { file: name, lines: 0, tokens: 0, unscoped: [], invalid: [], scopes: {} };
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const { tokens, ruleStack } = grammar.tokenizeLine(line, state);
    state = ruleStack;
    result.lines++;
    for (const token of tokens) {
      const value = line.substring(token.startIndex, token.endIndex);
      if (value.trim().length === 0) continue;
      result.tokens++;
      const inner = token.scopes[token.scopes.length - 1];
      result.scopes[inner] = (result.scopes[inner] || 0) + 1;
      if (token.scopes.length < 2) result.unscoped.push(`${i + 1}:${token.startIndex + 1} '${value}'`);
      if (token.scopes.some((s) => s.startsWith('invalid'))) result.invalid.push(`${i + 1}:${token.startIndex + 1} '${value}'`);
    }
  });
  return result;
}

for (const file of process.argv.slice(2)) {
  if (file === '-') {
    const snippets = fs.readFileSync(0, 'utf8').split('\0').filter((s) => s.length > 0);
    snippets.forEach((s, i) => console.log(JSON.stringify(tokenise(`snippet ${i + 1}`, s))));
  } else {
    console.log(JSON.stringify(tokenise(file, fs.readFileSync(file, 'utf8'))));
  }
}
