"use strict";
// The task table: every answer is in #task-data; only the rows in view exist in the page (a pool
// of row elements moved as the list scrolls), so 100,000 answers scroll and filter at once.
(() => {
  const data = JSON.parse(document.getElementById("task-data").textContent);
  const ROW = 30;
  const COLUMNS = ["provider", "suite", "task", "category", "sample", "outcome", "score", "latency", "prompt", "answer", "detail"];
  const viewport = document.getElementById("rows");
  const spacer = document.getElementById("spacer");
  const shown = document.getElementById("shown");
  const detail = document.getElementById("detail");
  const filters = { provider: -1, suite: -1, category: -1, outcome: -1, text: "" };
  const lists = { provider: data.providers, suite: data.suites, category: data.categories, outcome: data.outcomes };

  // Options only for what the run has.
  const used = { provider: new Set(), suite: new Set(), category: new Set(), outcome: new Set() };
  for (const row of data.rows) {
    const task = data.tasks[row[0]];
    used.provider.add(row[1]); used.suite.add(task[0]); used.category.add(task[2]); used.outcome.add(row[3]);
  }
  for (const select of document.querySelectorAll("select[data-filter]")) {
    const name = select.dataset.filter;
    select.add(new Option("all", ""));
    lists[name].forEach((label, i) => { if (used[name].has(i)) select.add(new Option(label, String(i))); });
    select.addEventListener("change", () => {
      filters[name] = select.value === "" ? -1 : Number(select.value);
      apply();
    });
  }
  const search = document.querySelector("input[data-filter=text]");
  search.addEventListener("input", () => { filters.text = search.value.trim().toLowerCase(); apply(); });

  function matches(row) {
    const task = data.tasks[row[0]];
    if (filters.provider >= 0 && row[1] !== filters.provider) return false;
    if (filters.suite >= 0 && task[0] !== filters.suite) return false;
    if (filters.category >= 0 && task[2] !== filters.category) return false;
    if (filters.outcome >= 0 && row[3] !== filters.outcome) return false;
    const t = filters.text;
    return !t || [task[1], task[3], row[6], row[7]].some((s) => s.toLowerCase().includes(t));
  }

  let visible = new Uint32Array(0);
  function apply() {
    const keep = new Uint32Array(data.rows.length);
    let n = 0;
    data.rows.forEach((row, r) => { if (matches(row)) keep[n++] = r; });
    visible = keep.subarray(0, n);
    spacer.style.height = n * ROW + "px";
    shown.dataset.count = String(n);
    shown.textContent = n.toLocaleString("en") + " of " + data.rows.length.toLocaleString("en") + " answers";
    viewport.scrollTop = 0;
    paint();
  }

  const score = (s) => (s === null ? "—" : Number.isInteger(s) ? String(s) : s.toFixed(2));
  const ms = (t) => (t === null ? "—" : t < 10000 ? t + " ms" : (t / 1000).toFixed(1) + " s");
  function cells(r) {
    const row = data.rows[r];
    const task = data.tasks[row[0]];
    return [data.providers[row[1]], data.suites[task[0]], task[1], data.categories[task[2]], String(row[2]),
      data.outcomes[row[3]], score(row[4]), ms(row[5]), task[3], row[6], row[7]];
  }

  const pool = [];
  function paint() {
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW) - 5);
    const count = Math.max(0, Math.min(visible.length - first, Math.ceil(viewport.clientHeight / ROW) + 10));
    while (pool.length < count) {
      const el = document.createElement("div");
      el.className = "grid row";
      COLUMNS.forEach(() => el.appendChild(document.createElement("span")));
      el.addEventListener("click", () => open(Number(el.dataset.row)));
      spacer.appendChild(el);
      pool.push(el);
    }
    pool.forEach((el, i) => {
      el.hidden = i >= count;
      if (el.hidden) return;
      const r = visible[first + i];
      const text = cells(r);
      el.dataset.row = String(r);
      el.dataset.outcome = text[5];
      el.style.transform = "translateY(" + (first + i) * ROW + "px)";
      text.forEach((t, c) => { el.children[c].textContent = t; el.children[c].title = t; });
    });
  }

  function open(r) {
    const list = document.createElement("dl");
    cells(r).forEach((t, c) => {
      const term = document.createElement("dt");
      const value = document.createElement("dd");
      term.textContent = COLUMNS[c];
      value.textContent = t;
      list.append(term, value);
    });
    detail.replaceChildren(list);
    detail.hidden = false;
  }

  viewport.addEventListener("scroll", paint, { passive: true });
  window.addEventListener("resize", paint);
  apply();
})();
