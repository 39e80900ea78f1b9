import { deepStrictEqual, match, ok } from "node:assert/strict";
import { ROOT } from "../_helpers/memsnap.ts";
import { endToEndTestFiles } from "../../scripts/test_binary.ts";

async function compile(args: string[]): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}scripts/compile.ts`, ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

Deno.test("deno task compile refuses an unknown target or option with exit code 2", async () => {
  const target = await compile(["--target", "sparc"]);
  deepStrictEqual(target, {
    code: 2,
    stderr:
      'compile: Unknown target "sparc": expected x86_64, aarch64, x86_64-musl, aarch64-musl\n',
  });
  const option = await compile(["--bogus"]);
  deepStrictEqual(option.code, 2);
  match(option.stderr, /^compile: Unknown option '--bogus'.*\nUsage: deno task compile /s);
});

Deno.test("test:binary runs the test files that run memsnap as a program, and no others", async () => {
  const files = await endToEndTestFiles();
  ok(files.includes("test/cli/cli_test.ts"), files.join(" "));
  // The capture script's tests print the script through a helper; some
  // capture tests run `memsnap capture` through one.
  ok(files.includes("test/capture/capture_script_mirror_test.ts"), files.join(" "));
  ok(files.includes("test/cli/capture_bytes_test.ts"), files.join(" "));
  for (const file of files) {
    const text = await Deno.readTextFile(`${ROOT}${file}`);
    ok(/\bmemsnap(Process|Command)\(|_helpers\/(busybox|capture)\.ts"/.test(text), file);
  }
  for (const other of ["test/cli/binary_test.ts", "test/cli/version_test.ts"]) {
    ok(!files.includes(other), other);
  }
});
