import { deepStrictEqual } from "node:assert/strict";
import config from "../../deno.json" with { type: "json" };
import { BUILD_STAMP_GLOBAL, buildStamp, runtimeName, versionLine } from "../../src/app/version.ts";

Deno.test("versionLine() says the commit and runtime, and whether memsnap was compiled", () => {
  deepStrictEqual(
    versionLine({ commit: "15d11d1b9dc0" }, "bun 1.4.5"),
    `memsnap ${config.version} (commit 15d11d1b9dc0, runtime bun 1.4.5, compiled)`,
  );
  deepStrictEqual(
    versionLine(undefined, "deno 2.9.6"),
    `memsnap ${config.version} (commit unknown, runtime deno 2.9.6, not compiled)`,
  );
});

Deno.test("runtimeName() names bun before deno before node (each sets node's version too)", () => {
  deepStrictEqual(runtimeName({ node: "24.3.0", bun: "1.4.5" }), "bun 1.4.5");
  deepStrictEqual(runtimeName({ node: "24.2.0", deno: "2.9.6" }), "deno 2.9.6");
  deepStrictEqual(runtimeName({ node: "22.1.0" }), "node 22.1.0");
  deepStrictEqual(runtimeName({}), "unknown");
});

Deno.test("buildStamp() reads the stamp a compiled entry point sets, and nothing else", () => {
  deepStrictEqual(buildStamp(), undefined);
  try {
    Reflect.set(globalThis, BUILD_STAMP_GLOBAL, { commit: 42 });
    deepStrictEqual(buildStamp(), undefined);
    Reflect.set(globalThis, BUILD_STAMP_GLOBAL, { commit: "abc-dirty", extra: 1 });
    deepStrictEqual(buildStamp(), { commit: "abc-dirty" });
  } finally {
    Reflect.deleteProperty(globalThis, BUILD_STAMP_GLOBAL);
  }
});
