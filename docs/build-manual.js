// Compiles a Typst document to PDF with the npm Typst compiler (the only Typst reachable
// from Debian + npm). Usage: node build-manual.js MODULES_DIR MAIN.typ OUT.pdf [FIGURES_DIR]
// Every file of FIGURES_DIR (pictures drawn by the build, outside the source tree) is seen
// by the document as /figures/NAME, beside the committed sources in docs/figures/.
'use strict';
const fs = require('fs');
const path = require('path');

const [modules, main, out, figures] = process.argv.slice(2);
if (!modules || !main || !out) {
  console.error('usage: node build-manual.js MODULES_DIR MAIN.typ OUT.pdf [FIGURES_DIR]');
  process.exit(2);
}
const { NodeCompiler } = require(path.join(modules, '@myriaddreamin/typst-ts-node-compiler'));

const root = path.resolve(path.dirname(main));
const compiler = NodeCompiler.create({ workspace: root });
if (figures) {
  for (const name of fs.readdirSync(figures)) {
    compiler.mapShadow(path.join(root, 'figures', name), fs.readFileSync(path.join(figures, name)));
  }
}
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
