// Compiles a Typst document to PDF with the npm Typst compiler (the only Typst reachable
// from Debian + npm). Usage: node build-manual.js MODULES_DIR MAIN.typ OUT.pdf
'use strict';
const fs = require('fs');
const path = require('path');

const [modules, main, out] = process.argv.slice(2);
if (!modules || !main || !out) {
  console.error('usage: node build-manual.js MODULES_DIR MAIN.typ OUT.pdf');
  process.exit(2);
}
const { NodeCompiler } = require(path.join(modules, '@myriaddreamin/typst-ts-node-compiler'));

const root = path.resolve(path.dirname(main));
const compiler = NodeCompiler.create({ workspace: root });
const result = compiler.compile({ mainFilePath: path.resolve(main) });
if (result.hasError()) {
  result.printDiagnostics();
  console.error(`build-manual: ${main} has errors`);
  process.exit(1);
}
const pdf = compiler.pdf(result.result);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, pdf);
console.log(`build-manual: ${out} (${result.result.numOfPages} pages)`);
