/// <reference lib="dom" />
/**
 * memsnap ui in a real browser: Debian's chromium, headless, driven by
 * puppeteer-core (which downloads no browser). On a fixture capture and a
 * fixture recording the page's numbers are compared with the CLI's JSON for
 * the same source; every request the page makes must stay on its loopback
 * origin. Screenshots go to test-artifacts/ui/ (ignored by git).
 */

import assert from "node:assert/strict";
import { networkInterfaces } from "node:os";
import puppeteer, { type Browser, type HTTPRequest, type Page } from "puppeteer-core";
import { namedProcess } from "../_helpers/hostile.ts";
import { memsnapCommand, memsnapProcess, ROOT } from "../_helpers/memsnap.ts";

const CAPTURE = "fixtures/captures/n8.tar.gz";
const RECORDING = "fixtures/charts/workload.tar.gz";
const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = `${ROOT}test-artifacts/ui`;

interface Ui {
  /** The link memsnap printed, token included. */
  readonly url: string;
  readonly origin: string;
  stop(): Promise<void>;
}

/** Starts `memsnap ui --no-open ARGS`; resolves with the link it prints. */
async function startUi(args: readonly string[]): Promise<Ui> {
  const [command, ...prefix] = memsnapCommand();
  // The binary runs with an empty environment, as under `env -i`.
  const binary = Deno.env.get("MEMSNAP_COMMAND") !== undefined;
  const child = new Deno.Command(command!, {
    args: [...prefix, "ui", "--no-open", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
    ...(binary && { clearEnv: true, env: {} }),
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const deadline = Date.now() + 60_000;
  while (!seen.includes("\n")) {
    if (Date.now() > deadline) throw new Error(`memsnap ui did not start: ${seen}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`memsnap ui ended: ${seen}`);
    seen += value;
  }
  const url = seen.split("\n")[0]!;
  return {
    url,
    origin: new URL(url).origin,
    async stop() {
      child.kill("SIGTERM");
      await reader.cancel().catch(() => {});
      const { code } = await child.status;
      assert.equal(code, 0, "memsnap ui exits 0 on SIGTERM");
    },
  };
}

async function cliJson(args: readonly string[]) {
  const outcome = await memsnapProcess([...args, "--format", "json"]);
  assert.equal(outcome.code, 0, outcome.stderr);
  return JSON.parse(outcome.stdout);
}

function launch(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run"],
  });
}

/** A page that logs every request it makes; each must be on `origin`. */
async function openPage(browser: Browser, ui: Ui, viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (request: HTTPRequest) => requests.push(request.url()));
  // Script errors, and answers refused for want of the token (a request the page forgot it on).
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("response", (response) => {
    if (response.status() === 401) errors.push(`401: ${response.url()}`);
  });
  await page.goto(ui.url, { waitUntil: "load" });
  await settled(page);
  return { page, requests, errors };
}

/** Waits until the page has drawn again (it counts its draws in body[data-ready]). */
async function settled(page: Page, after = 0): Promise<void> {
  await page.waitForFunction(
    (n: number) =>
      Number(document.body.dataset.ready ?? 0) > n &&
      document.getElementById("main")?.getAttribute("aria-busy") === "false",
    { timeout: 30_000 },
    after,
  );
}

const draws = (page: Page) => page.evaluate(() => Number(document.body.dataset.ready ?? 0));

/** Clicks what `selector` finds and waits for the redraw it causes. */
async function clickAndSettle(page: Page, selector: string): Promise<void> {
  const before = await draws(page);
  await page.click(selector);
  await settled(page, before);
}

/** The overview's table of parts: each row's name and kB. */
function partsRows(page: Page) {
  return page.$$eval("#children tbody tr", (rows) =>
    rows.map((row) => ({
      id: row.getAttribute("data-id"),
      kb: Number(row.querySelector("td.num")!.getAttribute("data-kb")),
    })));
}

/** A view's rows as the overview lists them: largest first (smem's order is ascending). */
const largestFirst = <T extends { kb: number }>(rows: T[]) => [...rows].sort((a, b) => b.kb - a.kb);

const breadcrumb = (page: Page) =>
  page.$eval("#breadcrumb", (nav) => [...nav.querySelectorAll("li")].map((li) => li.textContent));

async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

function assertLoopbackOnly(requests: readonly string[], origin: string): void {
  assert.ok(requests.length > 0);
  for (const url of requests) {
    assert.equal(new URL(url).origin, origin, `request left ${origin}: ${url}`);
  }
}

Deno.test({
  name: "memsnap ui on a capture: the overview's drill-down and the tables show the CLI's numbers",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const ui = await startUi([CAPTURE]);
    const browser = await launch();
    try {
      const { page, requests, errors } = await openPage(browser, ui);
      // MemTotal's parts: the system tree's first level, to the kB.
      const tree = await cliJson(["-S", CAPTURE, "-w", "--tree"]);
      const level1 = tree.rows.filter((r: { depth: number }) => r.depth === 1);
      assert.deepEqual(
        await partsRows(page),
        level1.map((r: { path: string; kb: number }) => ({ id: r.path, kb: r.kb })),
      );
      assert.deepEqual(await breadcrumb(page), ["MemTotal"]);
      await screenshot(page, "capture-overview");
      // By keyboard: the largest part focused, → the next, Enter drills, Escape comes back.
      await page.focus(".icicle .level:nth-child(2) .node");
      await page.keyboard.press("ArrowRight");
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute("data-id")),
        "MemTotal/page cache",
      );
      let drawn = await draws(page);
      await page.keyboard.press("Enter");
      await settled(page, drawn);
      assert.deepEqual(await breadcrumb(page), ["MemTotal", "page cache"]);
      drawn = await draws(page);
      await page.focus(".icicle .level:nth-child(2) .node");
      await page.keyboard.press("Escape");
      await settled(page, drawn);
      assert.deepEqual(await breadcrumb(page), ["MemTotal"]);

      // userspace → users: the users view's PSS.
      await clickAndSettle(page, '#children tr[data-id="MemTotal/userspace"] button');
      const users = await cliJson(["-S", CAPTURE, "-u"]);
      assert.deepEqual(
        await partsRows(page),
        largestFirst(
          users.rows.map((r: { user: string; pss: number }) => ({ id: r.user, kb: r.pss })),
        ),
      );
      // A user: its processes, as -U ^user$ gives them.
      await clickAndSettle(page, '#children tr[data-id="memc"] button');
      assert.deepEqual(await breadcrumb(page), ["MemTotal", "userspace", "memc"]);
      const memc = await cliJson(["-S", CAPTURE, "-U", "^memc$"]);
      assert.deepEqual(
        await partsRows(page),
        largestFirst(
          memc.rows.map((r: { pid: number; pss: number }) => ({ id: String(r.pid), kb: r.pss })),
        ),
      );
      // The user's box says its private and shared parts in words, not by colour alone.
      const label = await page.$eval(".icicle .level .node", (b) => b.getAttribute("aria-label"));
      const memcUser = users.rows.find((r: { user: string }) => r.user === "memc");
      assert.equal(
        label,
        `memc: ${memcUser.pss.toLocaleString("en")} kB (${
          (memcUser.pss / 1024).toFixed(1)
        } MiB) PSS, private (USS) ${memcUser.uss.toLocaleString("en")} kB, shared part ${
          (memcUser.pss - memcUser.uss).toLocaleString("en")
        } kB`,
      );
      // A process: its mappings, as -m -P gives them for it alone.
      const process = memc.rows.find((r: { command: string }) => r.command.includes("private"));
      await clickAndSettle(page, `#children tr[data-id="${process.pid}"] button`);
      const crumbs = await breadcrumb(page);
      assert.equal(crumbs.length, 4);
      assert.match(crumbs[3]!, new RegExp(`\\[${process.pid}\\]`));
      const maps = await cliJson(["-S", CAPTURE, "-m", "-P", "^wl-private0-0$"]);
      assert.deepEqual(
        await partsRows(page),
        largestFirst(
          maps.rows.map((r: { map: string; pss: number }) => ({ id: r.map, kb: r.pss })),
        ),
      );
      await screenshot(page, "capture-process");
      // The breadcrumb goes back up.
      await clickAndSettle(page, "#breadcrumb li:nth-child(2) button");
      assert.deepEqual(await breadcrumb(page), ["MemTotal", "userspace"]);
      // Userspace by programs, then by cgroups: the commands and cgroups views' PSS.
      for (
        const [grouping, args, key] of [
          ["commands", ["--commands", "-c", "command pss"], "command"],
          ["cgroups", ["--cgroups"], "cgroup"],
        ] as const
      ) {
        const drawn = await draws(page);
        await page.select("#group-by", grouping);
        await settled(page, drawn);
        const view = await cliJson(["-S", CAPTURE, ...args]);
        assert.deepEqual(
          await partsRows(page),
          largestFirst(
            view.rows.map((r: Record<string, string | number>) => ({
              id: r[key],
              kb: r.pss as number,
            })),
          ),
        );
      }
      // A cgroup: its processes (the capture's one cgroup holds all eight).
      const cgroups = await cliJson(["-S", CAPTURE, "--cgroups"]);
      await clickAndSettle(page, `#children tr[data-id="${cgroups.rows[0].cgroup}"] button`);
      assert.equal((await partsRows(page)).length, cgroups.rows[0].count);
      // A program: its processes, which add up to its PSS.
      await clickAndSettle(page, "#breadcrumb li:nth-child(2) button");
      const drawnAgain = await draws(page);
      await page.select("#group-by", "commands");
      await settled(page, drawnAgain);
      const programs = await cliJson(["-S", CAPTURE, "--commands", "-c", "command pss"]);
      const program = programs.rows[0];
      await clickAndSettle(page, `#children tr[data-id="${program.command}"] button`);
      const processes = await partsRows(page);
      assert.ok(processes.length > 0);
      assert.equal(processes.reduce((sum, p) => sum + p.kb, 0), program.pss);

      // Tables: the users view, filtered on the server with the CLI's regex.
      await clickAndSettle(page, "#tab-table");
      await page.select("#table-view", "users");
      await page.type("#filter-U", "^mem[ab]");
      await clickAndSettle(page, "#apply");
      const filtered = await cliJson(["-S", CAPTURE, "-u", "-U", "^mem[ab]"]);
      const pss = await page.$$eval(
        "#report tbody tr",
        (rows) =>
          rows.map((row) =>
            [...row.querySelectorAll("td[data-kb]")].map((td) => Number(td.getAttribute("data-kb")))
          ),
      );
      const kbColumns = filtered.columns.filter((c: { unit: string }) => c.unit === "kB");
      const expected = filtered.rows.map((r: Record<string, number>) =>
        kbColumns.map((c: { id: string }) => r[c.id])
      );
      // Sorted by PSS, largest first (the table's default order).
      const pssAt = kbColumns.findIndex((c: { id: string }) => c.id === "pss");
      expected.sort((a: number[], b: number[]) => b[pssAt]! - a[pssAt]!);
      assert.deepEqual(pss, expected);
      // A bad pattern: the CLI's message, shown.
      await page.$eval("#filter-U", (input) => (input as HTMLInputElement).value = "(");
      await clickAndSettle(page, "#apply");
      const alert = await page.$eval("[role=alert]", (p) => p.textContent);
      assert.match(alert!, /Invalid regular expression for -U "\("/);
      await page.$eval("#filter-U", (input) => (input as HTMLInputElement).value = "");
      await clickAndSettle(page, "#apply");
      await clickAndSettle(page, "#raw");
      await screenshot(page, "capture-table");

      // Phone-sized: the overview still lays out, without horizontal scrolling.
      const phone = await openPage(browser, ui, { width: 390, height: 844 });
      const overflow = await phone.page.evaluate(() =>
        document.documentElement.scrollWidth - document.documentElement.clientWidth
      );
      assert.equal(overflow, 0);
      await screenshot(phone.page, "capture-phone");

      assertLoopbackOnly([...requests, ...phone.requests], ui.origin);
      assert.deepEqual([...errors, ...phone.errors], []);
    } finally {
      await browser.close();
      await ui.stop();
    }
  },
});

Deno.test({
  name: "memsnap ui on a recording: two moments picked on the timeline diff as memsnap diff does",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const ui = await startUi([RECORDING]);
    const browser = await launch();
    try {
      const { page, requests, errors } = await openPage(browser, ui);
      await clickAndSettle(page, "#tab-timeline");
      const drawn = await draws(page);
      await page.select("#timeline-view", "processes");
      await settled(page, drawn);
      await page.waitForSelector("#timeline-chart svg .mark-rect.role-mark path", {
        timeout: 30_000,
      });
      // Two bars clicked: the first moment, then the second.
      // Two bars clicked (tall enough to click): the first moment, then the second.
      const bars = [];
      for (const bar of await page.$$("#timeline-chart svg .mark-rect.role-mark path")) {
        const box = await bar.boundingBox();
        if (box !== null && box.height >= 4 && box.width >= 2) bars.push(bar);
      }
      assert.ok(bars.length > 20, `${bars.length} bars`);
      await bars[2]!.click();
      await bars[bars.length - 3]!.click();
      await page.waitForSelector("#diff-table tbody tr", { timeout: 30_000 });
      const from = Number(await page.$eval("#pick-from", (s) => (s as HTMLSelectElement).value));
      const to = Number(await page.$eval("#pick-to", (s) => (s as HTMLSelectElement).value));
      assert.notEqual(from, to);
      // Both moments marked on the timeline.
      await page.waitForFunction(() =>
        document.querySelectorAll("#timeline-chart .mark-rule.role-mark line").length === 2
      );
      const cli = await cliJson([
        "diff",
        `${RECORDING}@${from}`,
        `${RECORDING}@${to}`,
        "--by",
        "processes",
      ]);
      const shown = await page.$$eval("#diff-table tbody tr", (rows) =>
        rows.map((row) => ({
          key: row.getAttribute("data-key"),
          changes: [...row.querySelectorAll("td[data-change]")].map((td) =>
            td.getAttribute("data-change")
          ),
        })));
      const metrics = cli.columns.metrics.map((c: { id: string }) => c.id);
      assert.deepEqual(
        shown.map((r) => ({ key: r.key, changes: r.changes })),
        cli.rows.map((r: { key: string; metrics: Record<string, { change: number | null }> }) => ({
          key: r.key,
          changes: metrics.map((m: string) => String(r.metrics[m]?.change ?? "")),
        })),
      );
      await page.waitForSelector("#diff-chart svg", { timeout: 30_000 });
      // The axes count in units people read: the workload's PSS tops 100 MiB, MemAvailable GiBs.
      const axisTitles = (chart: string) =>
        page.$$eval(
          `${chart} svg .role-axis-title text`,
          (texts) => texts.map((text) => text.textContent),
        );
      assert.deepEqual(await axisTitles("#timeline-chart"), ["snapshot", "PSS (MiB)"]);
      assert.deepEqual(await axisTitles("#available-chart"), ["snapshot", "GiB"]);
      assert.deepEqual(await axisTitles("#diff-chart"), ["PSS change (MiB)"]);
      // The leak suspects: the rows memsnap diff --each marks, growth to the kB.
      await page.waitForSelector("#suspects-table tbody tr", { timeout: 60_000 });
      const trend = await cliJson(["diff", "--each", RECORDING, "--by", "processes"]);
      assert.deepEqual(
        await page.$$eval("#suspects-table tbody tr", (rows) =>
          rows.map((row) => [
            row.getAttribute("data-key"),
            Number(row.querySelector("td[data-kb]")!.getAttribute("data-kb")),
          ])),
        trend.rows
          .filter((r: { suspects: string[] }) => r.suspects.length > 0)
          .map((r: { key: string; metrics: { pss: { growth: number } } }) => [
            r.key,
            r.metrics.pss.growth,
          ]),
      );
      await screenshot(page, "recording-timeline-diff");
      // The overview of one snapshot: the system tree of that snapshot, as FILE@N gives it.
      await page.select("#sample", String(from));
      await settled(page, await draws(page));
      await clickAndSettle(page, "#tab-overview");
      const tree = await cliJson(["-S", `${RECORDING}@${from}`, "-w", "--tree"]);
      assert.deepEqual(
        await partsRows(page),
        tree.rows.filter((r: { depth: number }) => r.depth === 1).map((
          r: { path: string; kb: number },
        ) => ({ id: r.path, kb: r.kb })),
      );
      assertLoopbackOnly(requests, ui.origin);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await ui.stop();
    }
  },
});

Deno.test({
  name:
    "memsnap ui refuses requests without its token or with another, and listens on loopback only",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const ui = await startUi([CAPTURE]);
    try {
      const url = new URL(ui.url);
      assert.equal(url.hostname, "127.0.0.1");
      const token = url.searchParams.get("token")!;
      assert.ok(token.length >= 32);
      const status = async (path: string, headers: Record<string, string> = {}) => {
        const response = await fetch(`${ui.origin}${path}`, { headers });
        await response.body?.cancel();
        return response.status;
      };
      assert.equal(await status("/"), 401);
      assert.equal(await status("/api/v1/report"), 401);
      assert.equal(await status("/?token=wrong-token"), 401);
      assert.equal(await status(`/?token=${token}x`), 401);
      assert.equal(await status("/api/v1/report", { authorization: "Bearer wrong" }), 401);
      assert.equal(await status(`/?token=${token}`), 200);
      assert.equal(await status("/api/v1/report", { authorization: `Bearer ${token}` }), 200);
      // The page's policy: its own origin only.
      const page = await fetch(ui.url);
      await page.body?.cancel();
      assert.match(
        page.headers.get("content-security-policy")!,
        /^default-src 'self';.*connect-src 'self'/,
      );
      // Any other address of this host: nothing listens there.
      const others = Object.values(networkInterfaces()).flat()
        .filter((a) => a !== undefined && a.family === "IPv4" && !a.internal)
        .map((a) => a!.address);
      for (const address of others) {
        await assert.rejects(fetch(`http://${address}:${url.port}/?token=${token}`));
      }
    } finally {
      await ui.stop();
    }
  },
});

Deno.test({
  name:
    "memsnap ui live: refreshes keep the drill-down, the filter and the sort; a command line of HTML is text",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // A process of the test's own, the only one the assertions look at.
    const marker = `memsnap-ui-probe-${crypto.randomUUID().slice(0, 8)}`;
    const probe = new Deno.Command("python3", {
      args: [
        "-c",
        "import sys,time; b=bytearray(24<<20); b[::4096]=b'x'*len(b[::4096]); time.sleep(300)",
        marker,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await using _hostile = await namedProcess(HOSTILE);
    const ui = await startUi(["--interval", "1s"]);
    const browser = await launch();
    try {
      const { page, requests, errors } = await openPage(browser, ui);
      const waitForRefreshes = async (count: number) =>
        settled(page, (await draws(page)) + count - 1);
      // Tables: filtered with -P on the probe's marker, sorted by RSS.
      await clickAndSettle(page, "#tab-table");
      await page.type("#filter-P", marker);
      // What is typed and not yet applied survives a refresh (the form is drawn again).
      await waitForRefreshes(1);
      assert.equal(await page.$eval("#filter-P", (i) => (i as HTMLInputElement).value), marker);
      await clickAndSettle(page, "#apply");
      await clickAndSettle(page, 'button.sort[data-column="rss"]');
      await waitForRefreshes(2);
      assert.equal(await page.$eval("#filter-P", (i) => (i as HTMLInputElement).value), marker);
      assert.equal(
        await page.$eval('th:has(button[data-column="rss"])', (th) => th.getAttribute("aria-sort")),
        "descending",
      );
      const commands = await page.$$eval(
        "#report tbody tr",
        (rows) => rows.map((r) => r.textContent),
      );
      assert.equal(commands.length, 1);
      assert.match(commands[0]!, new RegExp(marker));
      // A command line of HTML is shown as text: no element made of it, no script run, no request.
      await page.$eval("#filter-P", (input) => (input as HTMLInputElement).value = "");
      await page.type("#filter-P", `^${hostileMarker}`);
      await clickAndSettle(page, "#apply");
      const cells = await page.$$eval("#report tbody td", (tds) => tds.map((td) => td.textContent));
      assert.ok(cells.includes(`${HOSTILE} 600`), JSON.stringify(cells));
      assert.equal(await page.$$eval("#report img", (images) => images.length), 0);
      assert.equal(await page.evaluate(() => Reflect.get(globalThis, "__pwned")), undefined);
      // Overview: userspace → the probe's user → the probe; refreshes keep the place.
      const user = (await cliUser(probe.pid))!;
      await clickAndSettle(page, "#tab-overview");
      await clickAndSettle(page, '#children tr[data-id="MemTotal/userspace"] button');
      await clickAndSettle(page, `#children tr[data-id="${user}"] button`);
      await page.waitForSelector(`#children tr[data-id="${probe.pid}"] button`);
      await clickAndSettle(page, `#children tr[data-id="${probe.pid}"] button`);
      await waitForRefreshes(2);
      const crumbs = await breadcrumb(page);
      assert.deepEqual(crumbs.slice(0, 3), ["MemTotal", "userspace", user]);
      assert.match(crumbs[3]!, new RegExp(`\\[${probe.pid}\\]`));
      // Its mappings: the 24 MiB it wrote is one anonymous mapping's at least.
      const parts = await partsRows(page);
      const anonymous = parts.find((p) => p.id === "<anonymous>");
      assert.ok(anonymous !== undefined && anonymous.kb >= 24 * 1024, JSON.stringify(parts));
      await screenshot(page, "live-process");
      // Diff: the first sample against the latest; the probe is a row of both.
      await clickAndSettle(page, "#tab-diff");
      await page.waitForSelector("#diff-table tbody tr");
      const keys = await page.$$eval(
        "#diff-table tbody tr",
        (rows) => rows.map((r) => r.getAttribute("data-key")),
      );
      assert.ok(keys.some((key) => key?.startsWith(`${probe.pid}@`)), JSON.stringify(keys));
      assertLoopbackOnly(requests, ui.origin);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await ui.stop();
      probe.kill("SIGKILL");
      await probe.status;
    }
  },
});

/** A process name of HTML that would run a script if the page made elements of it. */
const hostileMarker = `mu-${crypto.randomUUID().slice(0, 4)}`;
const HOSTILE =
  `${hostileMarker}<img src=x onerror="globalThis.__pwned=1"><script>globalThis.__pwned=2</script>`;

/** The user name of a process of ours, as memsnap names it. */
async function cliUser(pid: number): Promise<string | undefined> {
  const report = await cliJson(["-c", "pid user", "-P", "."]);
  return report.rows.find((r: { pid: number }) => r.pid === pid)?.user;
}
