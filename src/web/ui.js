// memsnap's web UI: plain JavaScript over the JSON API (docs/ui.md). Every
// number shown comes from the API, which answers with the CLI's documents;
// the page only lays them out. State lives in one object, so a live refresh
// redraws the same place (drill-down, sort, filter).
"use strict";

(() => {
  const token = new URLSearchParams(location.search).get("token") ?? "";
  const VIEWS = [
    "processes",
    "users",
    "mappings",
    "system",
    "cgroups",
    "commands",
    "process-tree",
    "system-tree",
  ];
  const GROUPINGS = {
    users: { view: "users", key: "user", label: "users" },
    cgroups: { view: "cgroups", key: "cgroup", label: "cgroups" },
    commands: { view: "commands", key: "command", label: "programs" },
    kind: { view: null, key: null, label: "kind (anon, file, shmem)" },
  };
  const state = {
    mode: "capture",
    label: "",
    intervalMs: 0,
    tab: "overview",
    groupBy: "users",
    // The drill-down: each step a node { kind, id, name }, MemTotal first.
    path: [],
    // The table's view and filters as applied, and as typed but not yet applied (a live redraw keeps both).
    table: { view: "processes", sort: "pss", desc: true, P: "", U: "", M: "", draft: {} },
    raw: false,
    // The overview's boxes without free memory (it dwarfs the rest on an idle host).
    hideFree: false,
    samples: [],
    sample: null,
    from: null,
    to: null,
    timelineView: "users",
    diffView: "processes",
  };

  // ---- helpers

  async function api(path, params = {}) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && v !== "") query.set(k, String(v));
    }
    const response = await fetch(`${path}?${query}`, {
      headers: { authorization: `Bearer ${token}` },
      cache: "no-store",
    });
    const text = await response.text();
    if (!response.ok) throw new Error(text.trim() || `${response.status}`);
    return JSON.parse(text);
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) {
        node.append(typeof child === "string" ? document.createTextNode(child) : child);
      }
    }
    return node;
  }

  /** kB as people read it (KiB, MiB, GiB), or raw kB on demand. */
  function size(kb) {
    if (kb === null || kb === undefined) return "-";
    if (state.raw) return `${kb.toLocaleString("en")} kB`;
    const abs = Math.abs(kb);
    if (abs < 1024) return `${kb} KiB`;
    if (abs < 1024 * 1024) return `${(kb / 1024).toFixed(1)} MiB`;
    return `${(kb / 1024 / 1024).toFixed(2)} GiB`;
  }
  const exact = (kb) => `${kb.toLocaleString("en")} kB`;
  /**
   * The unit a chart's axis counts in: the largest of which `peakKb` is 4 or
   * more (round ticks in it), or kB when raw numbers are asked for.
   */
  function chartUnit(peakKb) {
    if (state.raw) return { div: 1, name: "kB" };
    const abs = Math.abs(peakKb);
    if (abs >= 4 * 1024 * 1024) return { div: 1024 * 1024, name: "GiB" };
    if (abs >= 4 * 1024) return { div: 1024, name: "MiB" };
    return { div: 1, name: "KiB" };
  }
  const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  function sampleParam() {
    return state.sample === null ? {} : { sample: state.sample };
  }

  // ---- the hierarchy

  /** The children of a node, each { kind, id, name, kb, uss? }, largest first. */
  async function childrenOf(node) {
    if (node.kind === "system") {
      const tree = await systemTree();
      const depth = node.id.split("/").length;
      if (node.id === "MemTotal/userspace" && state.groupBy !== "kind") {
        return await groupsOf();
      }
      return tree.rows
        .filter((r) => r.depth === depth && r.path.startsWith(`${node.id}/`))
        .map((r) => ({ kind: "system", id: r.path, name: r.name, kb: r.kb }));
    }
    if (node.kind === "group") {
      const params = { view: "processes", columns: "pid,user,name,command,pss,uss,rss,swap" };
      if (state.groupBy === "users") params.userfilter = `^${escapeRegex(node.id)}$`;
      if (state.groupBy === "cgroups") params.cgroup = node.id;
      if (state.groupBy === "commands") params.program = node.id;
      const report = await api("/api/v1/report", { ...params, ...sampleParam() });
      return report.rows.map((r) => ({
        kind: "process",
        id: String(r.pid),
        name: `${r.name} [${r.pid}]`,
        kb: r.pss,
        uss: r.uss,
        row: r,
        // A snapshot of smaps_rollup alone has no mappings to drill into.
        leaf: report.detail === "rollup",
      }));
    }
    if (node.kind === "process") {
      const report = await api("/api/v1/report", {
        view: "mappings",
        columns: "map,count,pss,uss,rss",
        pid: node.id,
        ...sampleParam(),
      });
      return report.rows.map((r) => ({
        kind: "mapping",
        id: r.map,
        name: r.map,
        kb: r.pss,
        uss: r.uss,
        row: r,
      }));
    }
    return [];
  }

  async function groupsOf() {
    const grouping = GROUPINGS[state.groupBy];
    const report = await api("/api/v1/report", {
      view: grouping.view,
      columns: `${grouping.key},count,pss,uss`,
      ...sampleParam(),
    });
    return report.rows.map((r) => ({
      kind: "group",
      id: String(r[grouping.key]),
      name: String(r[grouping.key]),
      kb: r.pss,
      uss: r.uss,
      row: r,
    }));
  }

  /** The system tree, fetched once per draw. */
  let treeOfDraw = null;
  function systemTree() {
    treeOfDraw ??= api("/api/v1/report", {
      view: "system-tree",
      columns: "path,depth,name,kb",
      ...sampleParam(),
    });
    return treeOfDraw;
  }

  async function rootNode() {
    const tree = await systemTree();
    const root = tree.rows.find((r) => r.depth === 0);
    return { kind: "system", id: root.path, name: root.name, kb: root.kb };
  }

  function describe(node) {
    const parts = [`${node.name}: ${exact(node.kb)} (${size(node.kb)}) PSS`];
    if (node.kind === "system") parts[0] = `${node.name}: ${exact(node.kb)} (${size(node.kb)})`;
    if (node.uss !== undefined && node.uss !== null) {
      parts.push(`private (USS) ${exact(node.uss)}`);
      parts.push(`shared part ${exact(node.kb - node.uss)}`);
    }
    return parts.join(", ");
  }

  /** One box of the icicle: private solid, shared hatched, both labelled. */
  function box(node, total, onClick) {
    const share = total > 0 ? Math.max(node.kb / total, 0) : 0;
    const split = node.uss !== undefined && node.uss !== null && node.kb > 0;
    const privateShare = split ? Math.min(node.uss / node.kb, 1) : 1;
    const inner = split
      ? [
        el("span", { class: "private", style: `width:${(privateShare * 100).toFixed(2)}%` }),
        el("span", { class: "shared", style: `width:${((1 - privateShare) * 100).toFixed(2)}%` }),
      ]
      : [el("span", { class: "whole" })];
    const text = describe(node);
    return el(
      "button",
      {
        class: `node ${node.kind}`,
        style: `flex-basis:${(share * 100).toFixed(3)}%`,
        title: text,
        "aria-label": text,
        "data-id": node.id,
        onclick: onClick,
        onfocus: () => showDetail(text),
        onmouseenter: () => showDetail(text),
        disabled: onClick ? undefined : true,
      },
      el("span", { class: "fill" }, inner),
      el("span", { class: "label" }, `${node.name} ${size(node.kb)}`),
    );
  }

  /** Arrows move among the boxes of a level and between levels; Escape goes up a level. */
  function icicleKeys(event) {
    const current = event.target.closest(".node");
    if (!current) return;
    if (event.key === "Escape" && state.path.length > 1) {
      event.preventDefault();
      state.path = state.path.slice(0, -1);
      redraw().then(() =>
        document.querySelector(".icicle .level:nth-child(2) .node:not(:disabled)")?.focus()
      );
      return;
    }
    const levels = [...event.currentTarget.querySelectorAll(".level")];
    const at = levels.findIndex((level) => level.contains(current));
    const boxesOf = (level) => [...level.querySelectorAll(".node:not(:disabled)")];
    let next;
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      const boxes = boxesOf(levels[at]);
      const i = boxes.indexOf(current) + (event.key === "ArrowRight" ? 1 : -1);
      next = boxes[Math.max(0, Math.min(boxes.length - 1, i))];
    } else if (event.key === "ArrowDown") next = levels[at + 1] && boxesOf(levels[at + 1])[0];
    else if (event.key === "ArrowUp") next = levels[at - 1] && boxesOf(levels[at - 1])[0];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }

  function showDetail(text) {
    const detail = document.getElementById("detail");
    if (detail) detail.textContent = text;
  }

  async function drawOverview(main) {
    if (state.path.length <= 1) state.path = [await rootNode()];
    else {
      // The node's own numbers, fresh from its parent (a live sample moves them).
      const at = state.path.length - 1;
      const fresh = (await childrenOf(state.path[at - 1])).find((c) => c.id === state.path[at].id);
      state.path[at] = fresh ?? { ...state.path[at], name: `${state.path[at].name} (gone)` };
    }
    const node = state.path[state.path.length - 1];
    const children = await childrenOf(node);
    const shown = children.filter((c) =>
      c.kb > 0 && !(state.hideFree && c.kind === "system" && c.name === "free")
    );
    const sum = shown.reduce((s, c) => s + c.kb, 0);
    const total = state.hideFree ? Math.max(sum, 1) : Math.max(node.kb, sum);
    const crumbs = el(
      "nav",
      { "aria-label": "Breadcrumb", id: "breadcrumb" },
      el(
        "ol",
        {},
        state.path.map((step, i) =>
          el(
            "li",
            {},
            i === state.path.length - 1
              ? el("span", { "aria-current": "location" }, step.name)
              : el("button", {
                class: "crumb",
                onclick: () => {
                  state.path = state.path.slice(0, i + 1);
                  redraw();
                },
              }, step.name),
          )
        ),
      ),
    );
    const drill = (child) =>
      child.kind === "mapping" || child.leaf ? undefined : () => {
        state.path = [...state.path, child];
        redraw();
      };
    const boxes = (nodes, whole) => {
      const sorted = [...nodes].filter((c) => c.kb > 0).sort((a, b) => b.kb - a.kb);
      const bigOnes = sorted.filter((c) => c.kb / whole >= 0.004);
      const smallOnes = sorted.filter((c) => c.kb / whole < 0.004);
      const rest = smallOnes.length === 0 ? [] : [{
        kind: "rest",
        id: "rest",
        name: `${smallOnes.length} more`,
        kb: smallOnes.reduce((s, c) => s + c.kb, 0),
      }];
      return [...bigOnes, ...rest];
    };
    const level1 = boxes(shown, total);
    // A third level where it is known without more requests than one: the
    // system tree's own lines, or userspace's groups.
    const grand = new Map();
    await Promise.all(level1.map(async (c) => {
      if (c.kind === "system") {
        const below = await childrenOf(c);
        if (below.length > 0) grand.set(c.id, below);
      }
    }));
    const rows = el(
      "div",
      {
        class: "icicle",
        role: "group",
        "aria-label": `${node.name} and its parts (arrows move, Enter drills down, Escape goes up)`,
        onkeydown: icicleKeys,
      },
      el("div", { class: "level" }, box(node, node.kb, undefined)),
      el(
        "div",
        { class: "level" },
        level1.map((c) => box(c, total, c.kind === "rest" ? undefined : drill(c))),
      ),
      grand.size === 0 ? null : el(
        "div",
        { class: "level" },
        level1.map((c) => {
          const below = grand.get(c.id) ?? [];
          const sum = below.reduce((s, g) => s + Math.max(g.kb, 0), 0);
          const whole = Math.max(c.kb, sum);
          return el(
            "div",
            { class: "slot", style: `flex-basis:${((c.kb / total) * 100).toFixed(3)}%` },
            boxes(below, whole).map((g) =>
              box(
                g,
                whole,
                g.kind === "rest" ? undefined : () => {
                  state.path = [...state.path, c, g];
                  redraw();
                },
              )
            ),
          );
        }),
      ),
    );
    const switcher = el(
      "label",
      {},
      "Userspace by ",
      el(
        "select",
        {
          id: "group-by",
          onchange: (e) => {
            state.groupBy = e.target.value;
            // A drill-down below userspace belongs to the grouping left.
            const at = state.path.findIndex((s) => s.id === "MemTotal/userspace");
            if (at >= 0) state.path = state.path.slice(0, at + 1);
            redraw();
          },
        },
        Object.entries(GROUPINGS).map(([id, g]) =>
          el("option", { value: id, selected: id === state.groupBy }, g.label)
        ),
      ),
    );
    const legend = el(
      "p",
      { class: "legend" },
      el("span", { class: "swatch private" }),
      " private (USS) ",
      el("span", { class: "swatch shared" }),
      " shared (the rest of PSS, hatched) — sized by PSS; hover or focus a box for its numbers.",
    );
    const list = childTable(node, children);
    main.replaceChildren(
      el(
        "div",
        { class: "controls" },
        switcher,
        toggle("hide-free", "hideFree", "in use only (free memory left out of the boxes)"),
        rawToggle(),
      ),
      crumbs,
      legend,
      rows,
      el("p", { id: "detail", role: "status", "aria-live": "polite" }, describe(node)),
      list,
    );
  }

  /**
   * The node's children as a table: the numbers behind the boxes, largest
   * first (the system tree's lines keep their order: they add up in it).
   */
  function childTable(node, all) {
    const children = all.every((c) => c.kind === "system")
      ? all
      : [...all].sort((a, b) => b.kb - a.kb);
    const split = children.some((c) => c.uss !== undefined);
    const head = ["Name", "PSS", ...(split ? ["USS (private)", "Shared"] : [])];
    return el(
      "table",
      { id: "children", class: "data" },
      el("caption", {}, `Parts of ${node.name}`),
      el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
      el(
        "tbody",
        {},
        children.map((c) =>
          el(
            "tr",
            { "data-id": c.id },
            el(
              "td",
              {},
              c.kind === "mapping" || c.leaf ? c.name : el("button", {
                class: "link",
                onclick: () => {
                  state.path = [...state.path, c];
                  redraw();
                },
              }, c.name),
            ),
            el("td", { class: "num", "data-kb": c.kb }, size(c.kb)),
            split ? el("td", { class: "num", "data-kb": c.uss ?? "" }, size(c.uss)) : null,
            split
              ? el("td", { class: "num" }, size(c.uss === undefined ? null : c.kb - c.uss))
              : null,
          )
        ),
      ),
    );
  }

  /** A labelled checkbox for a switch of the state; a change redraws. */
  function toggle(id, key, text) {
    return el(
      "label",
      {},
      el("input", {
        type: "checkbox",
        id,
        checked: state[key],
        onchange: (e) => {
          state[key] = e.target.checked;
          redraw();
        },
      }),
      ` ${text}`,
    );
  }

  function rawToggle() {
    return toggle("raw", "raw", "raw kB");
  }

  // ---- tables

  /**
   * Replaces what `target` shows; the control that had the focus in it (a
   * filter being typed into, during a live refresh) has it again, caret kept.
   */
  function replaceKeepingFocus(target, ...children) {
    const active = document.activeElement;
    const id = active && target.contains(active) ? active.id : "";
    const caret = id && typeof active.selectionStart === "number"
      ? [active.selectionStart, active.selectionEnd]
      : null;
    target.replaceChildren(...children);
    const again = id ? document.getElementById(id) : null;
    if (again) {
      again.focus();
      if (caret && typeof again.setSelectionRange === "function") again.setSelectionRange(...caret);
    }
  }

  /** A filter field: what was typed survives a redraw until it is applied. */
  function draftInput(name, placeholder) {
    const t = state.table;
    return el("input", {
      name,
      id: `filter-${name}`,
      value: t.draft[name] ?? t[name],
      placeholder,
      oninput: (e) => t.draft[name] = e.target.value,
    });
  }

  /** The table's form, drawn with what is applied and what is typed at this moment. */
  function tableControls() {
    const t = state.table;
    return el(
      "form",
      {
        class: "controls",
        onsubmit: (e) => {
          e.preventDefault();
          const form = new FormData(e.target);
          t.view = form.get("view");
          t.P = form.get("P");
          t.U = form.get("U");
          t.M = form.get("M");
          t.draft = {};
          redraw();
        },
      },
      el(
        "label",
        {},
        "View ",
        el(
          "select",
          { name: "view", id: "table-view", onchange: (e) => t.draft.view = e.target.value },
          VIEWS.map((v) => el("option", { value: v, selected: v === (t.draft.view ?? t.view) }, v)),
        ),
      ),
      el(
        "label",
        {},
        "-P ",
        draftInput("P", "process regex"),
      ),
      el(
        "label",
        {},
        "-U ",
        draftInput("U", "user regex"),
      ),
      el(
        "label",
        {},
        "-M ",
        draftInput("M", "map regex"),
      ),
      el("button", { type: "submit", id: "apply" }, "Apply"),
      rawToggle(),
    );
  }

  async function drawTable(main) {
    const t = state.table;
    let report;
    try {
      report = await api("/api/v1/report", {
        view: t.view,
        processfilter: t.P,
        userfilter: t.U,
        mapfilter: t.M,
        ...sampleParam(),
      });
    } catch (error) {
      replaceKeepingFocus(
        main,
        tableControls(),
        el("p", { role: "alert", class: "error" }, error.message),
      );
      return;
    }
    replaceKeepingFocus(main, tableControls(), reportTable(report));
  }

  function reportTable(report) {
    const t = state.table;
    const columns = report.columns.filter((c) => c.id !== "provenance" && c.id !== "age");
    const rows = [...report.rows];
    const sortColumn = columns.find((c) => c.id === t.sort) ? t.sort : null;
    if (sortColumn !== null) {
      rows.sort((a, b) => {
        const x = a[sortColumn];
        const y = b[sortColumn];
        const order = typeof x === "number" && typeof y === "number"
          ? x - y
          : String(x ?? "").localeCompare(String(y ?? ""));
        return t.desc ? -order : order;
      });
    }
    const header = columns.map((c) =>
      el(
        "th",
        {
          scope: "col",
          "aria-sort": c.id === sortColumn ? (t.desc ? "descending" : "ascending") : "none",
        },
        el("button", {
          class: "sort",
          "data-column": c.id,
          onclick: () => {
            t.desc = t.sort === c.id ? !t.desc : c.unit !== "text";
            t.sort = c.id;
            redraw();
          },
        }, c.header),
      )
    );
    const cell = (c, value) => {
      if (c.unit === "kB" && typeof value === "number") {
        return el("td", { class: "num", "data-kb": value, title: exact(value) }, size(value));
      }
      return el(
        "td",
        { class: typeof value === "number" ? "num" : "" },
        value === null ? "-" : String(value),
      );
    };
    const linkable = report.view === "processes" || report.view === "users";
    return el(
      "table",
      { id: "report", class: "data", "data-view": report.view },
      el("caption", {}, `${report.view}: ${rows.length} rows — ${report.source}`),
      el("thead", {}, el("tr", {}, header, linkable ? el("th", {}, "") : null)),
      el(
        "tbody",
        {},
        rows.map((r) =>
          el(
            "tr",
            {},
            columns.map((c) => cell(c, r[c.id])),
            linkable
              ? el(
                "td",
                {},
                el(
                  "button",
                  { class: "link", onclick: () => showInOverview(report.view, r) },
                  "overview",
                ),
              )
              : null,
          )
        ),
      ),
    );
  }

  /** A table row's place in the hierarchy (users: the user; processes: its user, then it). */
  async function showInOverview(view, row) {
    state.groupBy = "users";
    const root = await rootNode();
    const userspace = (await childrenOf(root)).find((c) => c.id === "MemTotal/userspace");
    state.path = [root, userspace];
    const groups = await childrenOf(userspace);
    const group = groups.find((g) => g.id === row.user);
    if (group) state.path.push(group);
    if (view === "processes" && group) {
      const process = (await childrenOf(group)).find((p) => p.id === String(row.pid));
      if (process) state.path.push(process);
    }
    state.tab = "overview";
    redraw();
  }

  // ---- recording: timeline and diff

  async function drawTimeline(main) {
    const data = await api("/api/v1/timeline", { view: state.timelineView });
    const totals = new Map();
    // A group's name is the last its points gave it (a process keeps its key across an exec).
    const names = new Map();
    for (const p of data.points) {
      for (const g of p.groups) {
        totals.set(g.key, Math.max(totals.get(g.key) ?? 0, g.kb));
        names.set(g.key, g.name);
      }
    }
    const top = new Set([...totals].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k]) => k));
    const values = [];
    const available = [];
    for (const p of data.points) {
      let other = 0;
      for (const g of p.groups) {
        if (top.has(g.key)) {
          values.push({ index: p.index, time: p.takenAt, group: names.get(g.key), kb: g.kb });
        } else other += g.kb;
      }
      if (other > 0) values.push({ index: p.index, time: p.takenAt, group: "other", kb: other });
      if (p.memAvailableKb !== null) {
        available.push({ index: p.index, time: p.takenAt, kb: p.memAvailableKb });
      }
    }
    // Axes in a unit people read; each point's own size in its tooltip.
    const stacks = new Map();
    for (const v of values) stacks.set(v.index, (stacks.get(v.index) ?? 0) + v.kb);
    const stackedPeak = Math.max(0, ...stacks.values());
    const pssUnit = chartUnit(stackedPeak);
    const availableUnit = chartUnit(Math.max(0, ...available.map((a) => a.kb)));
    for (const v of values) Object.assign(v, { amount: v.kb / pssUnit.div, shown: size(v.kb) });
    for (const a of available) {
      Object.assign(a, { amount: a.kb / availableUnit.div, shown: size(a.kb) });
    }
    const viewSelect = el(
      "label",
      {},
      "Stacked by ",
      el(
        "select",
        {
          id: "timeline-view",
          onchange: (e) => {
            state.timelineView = e.target.value;
            state.diffView = e.target.value;
            redraw();
          },
        },
        ["users", "processes", "commands", "cgroups"].map((v) =>
          el("option", { value: v, selected: v === state.timelineView }, v)
        ),
      ),
    );
    const stacked = el("div", { id: "timeline-chart", class: "chart" });
    const avail = el("div", { id: "available-chart", class: "chart" });
    const diff = el("section", { id: "diff", "aria-label": "Diff of two moments" });
    const suspects = el("section", { id: "suspects", "aria-label": "Leak suspects" });
    main.replaceChildren(
      el("div", { class: "controls" }, viewSelect, momentPickers(diff), rawToggle()),
      el(
        "p",
        { class: "hint" },
        "Click a bar to pick the first moment, another for the second (or choose them in the lists).",
      ),
      el("div", { class: "charts" }, stacked, avail),
      diff,
      suspects,
    );
    drawSuspects(suspects).catch((error) =>
      suspects.replaceChildren(el("p", { role: "alert", class: "error" }, error.message))
    );
    const width = Math.max(260, Math.min(main.clientWidth - 40, 900));
    const embed = (target, spec) =>
      vegaEmbed(target, spec, { renderer: "svg", actions: false }).then((r) => r.view);
    const bars = {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: width * 0.62,
      height: 260,
      title: `PSS by ${data.noun}`,
      encoding: {
        x: { field: "index", type: "ordinal", title: "snapshot", axis: { labelOverlap: true } },
      },
      layer: [{
        data: { values },
        mark: { type: "bar", cursor: "pointer" },
        encoding: {
          y: { field: "amount", type: "quantitative", stack: true, title: `PSS (${pssUnit.name})` },
          color: {
            field: "group",
            type: "nominal",
            title: data.noun,
            scale: { scheme: "tableau10" },
          },
          tooltip: [
            { field: "index", title: "snapshot" },
            { field: "time" },
            { field: "group", title: data.noun },
            { field: "shown", title: "PSS" },
          ],
        },
      }, {
        // The two moments picked, drawn as dashed lines (their names in the tooltip).
        data: { name: "moments" },
        mark: { type: "rule", strokeDash: [5, 3], strokeWidth: 2, color: "#1b1f23" },
        encoding: { tooltip: [{ field: "which" }, { field: "index", title: "snapshot" }] },
      }],
    };
    const line = {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: Math.max(200, width * 0.3),
      height: 260,
      title: "MemAvailable",
      data: { values: available },
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "index", type: "quantitative", title: "snapshot" },
        y: { field: "amount", type: "quantitative", title: availableUnit.name },
        tooltip: [{ field: "index" }, { field: "time" }, { field: "shown", title: "MemAvailable" }],
      },
    };
    const [barView] = await Promise.all([embed(stacked, bars), embed(avail, line)]);
    markMoments = () => {
      const moments = [["from", state.from], ["to", state.to]]
        .filter(([, index]) => index !== null)
        .map(([which, index]) => ({ which, index }));
      barView.data("moments", moments).runAsync();
    };
    markMoments();
    let next = "from";
    barView.addEventListener("click", (_event, item) => {
      const index = item?.datum?.index;
      if (index === undefined) return;
      state[next] = Number(index);
      next = next === "from" ? "to" : "from";
      syncPickers();
      drawDiff(diff);
    });
    if (state.from !== null && state.to !== null) await drawDiff(diff);
  }

  /** The recording's leak suspects: the rows `memsnap diff --each` marks. */
  async function drawSuspects(target) {
    const trend = await api("/api/v1/trend", { view: state.timelineView });
    const rows = trend.rows.filter((r) => r.suspects.length > 0);
    const labels = trend.columns.labels;
    const pss = (r) => r.metrics.pss ?? {};
    target.replaceChildren(
      el("h2", {}, `Leak suspects (memsnap diff --each, ${trend.snapshots} snapshots)`),
      rows.length === 0 ? el("p", {}, "None: nothing grew steadily.") : el(
        "table",
        { id: "suspects-table", class: "data" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            labels.map((c) => el("th", { scope: "col" }, c.header)),
            ["Suspect in", "PSS first", "PSS last", "PSS growth", "per hour"].map((h) =>
              el("th", { scope: "col" }, h)
            ),
          ),
        ),
        el(
          "tbody",
          {},
          rows.map((r) =>
            el(
              "tr",
              { "data-key": r.key },
              labels.map((c) => el("td", {}, String(r.labels[c.id] ?? ""))),
              el("td", {}, r.suspects.join(", ")),
              el("td", { class: "num" }, size(pss(r).first ?? null)),
              el("td", { class: "num" }, size(pss(r).last ?? null)),
              el(
                "td",
                { class: "num", "data-kb": pss(r).growth ?? "" },
                size(pss(r).growth ?? null),
              ),
              el(
                "td",
                { class: "num" },
                pss(r).ratePerHour === undefined ? "-" : size(Math.round(pss(r).ratePerHour)),
              ),
            )
          ),
        ),
      ),
    );
  }

  function momentPickers(target) {
    const option = (s) =>
      el(
        "option",
        { value: s.index },
        `${s.index}${momentName(s)}`,
      );
    const picker = (which, text) =>
      el(
        "label",
        {},
        `${text} `,
        el(
          "select",
          {
            id: `pick-${which}`,
            onchange: (e) => {
              state[which] = e.target.value === "" ? null : Number(e.target.value);
              markMoments();
              drawDiff(target);
            },
          },
          el("option", { value: "" }, "—"),
          state.samples.map(option),
        ),
      );
    setTimeout(syncPickers, 0);
    return el("span", { class: "pickers" }, picker("from", "From"), picker("to", "to"));
  }

  /** A sample as the lists name it: its time, else its source. */
  function momentName(s) {
    const when = s.takenAt ?? s.startedAt;
    return when ? ` — ${when}` : s.label ? ` — ${s.label}` : "";
  }

  /** Marks the moments picked on the timeline, when one is drawn. */
  let markMoments = () => {};

  function syncPickers() {
    markMoments();
    for (const which of ["from", "to"]) {
      const select = document.getElementById(`pick-${which}`);
      if (select) select.value = state[which] === null ? "" : String(state[which]);
    }
  }

  async function drawDiff(target) {
    if (state.from === null || state.to === null) return;
    let diff;
    try {
      diff = await api("/api/v1/diff", { view: state.diffView, from: state.from, to: state.to });
    } catch (error) {
      target.replaceChildren(el("p", { role: "alert", class: "error" }, error.message));
      return;
    }
    const label = (row) => Object.values(row.labels).join(" ");
    const changed = diff.rows
      .map((r) => ({ name: label(r), change: r.metrics.pss?.change ?? 0, status: r.status }))
      .filter((r) => r.change !== 0)
      .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))
      .slice(0, 15);
    const changeUnit = chartUnit(Math.max(0, ...changed.map((r) => Math.abs(r.change))));
    for (const r of changed) {
      Object.assign(r, {
        amount: r.change / changeUnit.div,
        shown: `${r.change > 0 ? "+" : ""}${size(r.change)}`,
      });
    }
    const chart = el("div", { id: "diff-chart", class: "chart" });
    const metrics = diff.columns.metrics;
    const table = el(
      "table",
      { id: "diff-table", class: "data" },
      el("caption", {}, `${diff.view}: ${diff.a.source} → ${diff.b.source}`),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          diff.columns.labels.map((c) => el("th", { scope: "col" }, c.header)),
          el("th", { scope: "col" }, "Status"),
          metrics.map((c) => el("th", { scope: "col" }, `${c.header} Δ`)),
        ),
      ),
      el(
        "tbody",
        {},
        diff.rows.map((r) =>
          el(
            "tr",
            { "data-key": r.key },
            diff.columns.labels.map((c) => el("td", {}, String(r.labels[c.id] ?? ""))),
            el("td", {}, r.status),
            metrics.map((c) => {
              const m = r.metrics[c.id];
              const change = m?.change ?? null;
              const shown = change === null ? "-" : c.unit === "kB" ? size(change) : String(change);
              return el("td", {
                class: "num",
                "data-change": change ?? "",
                title: m ? `${m.a ?? "-"} → ${m.b ?? "-"}` : "",
              }, change !== null && change > 0 ? `+${shown}` : shown);
            }),
          )
        ),
      ),
    );
    target.replaceChildren(
      el("h2", {}, `Diff: ${state.from} → ${state.to}`),
      el(
        "label",
        {},
        "View ",
        el(
          "select",
          {
            id: "diff-view",
            onchange: (e) => {
              state.diffView = e.target.value;
              drawDiff(target);
            },
          },
          VIEWS.filter((v) => !v.endsWith("tree")).map((v) =>
            el("option", { value: v, selected: v === state.diffView }, v)
          ),
        ),
      ),
      chart,
      table,
    );
    if (changed.length > 0) {
      await vegaEmbed(chart, {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        width: Math.max(240, Math.min(target.clientWidth - 220, 700)),
        title: "PSS change (largest 15)",
        data: { values: changed },
        mark: "bar",
        encoding: {
          y: { field: "name", type: "nominal", sort: "-x", title: null },
          x: { field: "amount", type: "quantitative", title: `PSS change (${changeUnit.name})` },
          color: {
            condition: { test: "datum.change > 0", value: "#b2182b" },
            value: "#2166ac",
          },
          tooltip: [{ field: "name" }, { field: "shown", title: "change" }, { field: "status" }],
        },
      }, { renderer: "svg", actions: false });
    }
  }

  async function drawDiffTab(main) {
    const target = el("section", { id: "diff", "aria-label": "Diff of two moments" });
    main.replaceChildren(
      el("div", { class: "controls" }, momentPickers(target), rawToggle()),
      target,
    );
    if (state.from === null && state.samples.length >= 2) {
      state.from = state.samples[0].index;
      state.to = state.samples[state.samples.length - 1].index;
    }
    syncPickers();
    await drawDiff(target);
  }

  // ---- the frame

  function tabs() {
    const list = [["overview", "Overview"], ["table", "Tables"]];
    if (state.mode === "recording") list.push(["timeline", "Timeline"]);
    if (state.mode === "diff" || state.mode === "live" || state.mode === "recording") {
      list.push(["diff", "Diff"]);
    }
    return el(
      "div",
      { role: "tablist", "aria-label": "Views" },
      list.map(([id, text]) =>
        el("button", {
          role: "tab",
          id: `tab-${id}`,
          "aria-selected": id === state.tab ? "true" : "false",
          onclick: () => {
            state.tab = id;
            redraw();
          },
        }, text)
      ),
    );
  }

  function samplePicker() {
    if (state.mode !== "recording" && state.mode !== "diff") return null;
    return el(
      "label",
      {},
      "Snapshot ",
      el(
        "select",
        {
          id: "sample",
          onchange: (e) => {
            state.sample = Number(e.target.value);
            state.path = [];
            redraw();
          },
        },
        state.samples.map((s) =>
          el("option", {
            value: s.index,
            selected: s.index === (state.sample ?? state.samples[state.samples.length - 1]?.index),
          }, `${s.index}${momentName(s)}`)
        ),
      ),
    );
  }

  let drawing = Promise.resolve();
  function redraw() {
    drawing = drawing.then(draw, draw);
    return drawing;
  }

  async function draw() {
    treeOfDraw = null;
    markMoments = () => {};
    const header = document.getElementById("top");
    header.replaceChildren(
      ...[
        el("h1", {}, "memsnap"),
        el("span", { class: "source" }, `${state.mode}: ${state.label}`),
        samplePicker(),
        tabs(),
      ].filter((child) => child !== null),
    );
    const main = document.getElementById("main");
    main.setAttribute("aria-busy", "true");
    try {
      if (state.tab === "overview") await drawOverview(main);
      else if (state.tab === "table") await drawTable(main);
      else if (state.tab === "timeline") await drawTimeline(main);
      else await drawDiffTab(main);
    } catch (error) {
      main.replaceChildren(el("p", { role: "alert", class: "error" }, error.message));
    } finally {
      main.setAttribute("aria-busy", "false");
      document.body.dataset.ready = String(Number(document.body.dataset.ready ?? 0) + 1);
    }
  }

  /** Live: a new sample every few seconds, the same place redrawn (focus kept where it can be). */
  function refreshLive() {
    if (document.hidden || state.tab === "timeline") return;
    const focused = document.activeElement?.id;
    api("/api/v1/samples").then((s) => state.samples = s.samples).catch(() => {});
    // The drill-down's ancestors keep their ids; their numbers are redrawn from the new sample.
    redraw().then(() => {
      if (focused) document.getElementById(focused)?.focus();
    });
  }

  async function start() {
    document.body.append(el("header", { id: "top" }), el("main", { id: "main", tabindex: "-1" }));
    try {
      const source = await api("/api/v1/source");
      state.mode = source.mode;
      state.label = source.label;
      state.intervalMs = source.intervalMs ?? 0;
      state.samples = (await api("/api/v1/samples")).samples;
      if (state.mode === "diff") state.tab = "diff";
      if (state.mode === "recording") {
        state.sample = state.samples[state.samples.length - 1].index;
      }
    } catch (error) {
      document.getElementById("main").replaceChildren(
        el("p", { role: "alert", class: "error" }, `Cannot reach memsnap: ${error.message}`),
      );
      return;
    }
    await redraw();
    if (state.mode === "live") setInterval(refreshLive, Math.max(2000, state.intervalMs || 5000));
  }

  document.addEventListener("DOMContentLoaded", start);
})();
