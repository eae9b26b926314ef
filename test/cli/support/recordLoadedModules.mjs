// Preloaded with `node --import` by test/cli/compiledCli.test.ts: records every module URL the process resolves
// (ES imports and require(), node: built-ins included) and writes them, one a line, to $TEEZK_RECORD_MODULES at exit.
import { writeFileSync } from "node:fs";
import { registerHooks } from "node:module";

const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    loaded.add(resolved.url);
    return resolved;
  },
});
process.on("exit", () => writeFileSync(process.env.TEEZK_RECORD_MODULES, [...loaded].join("\n")));
