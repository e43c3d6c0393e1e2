// The claims-ledger explorer: filter the table of every entry by verdict, kind and section, and
// sort it by a column. No library and no remote script; without script the table shows every
// entry and the filter bar stays hidden.
function bricsaiLedger(root) {
  const table = root.querySelector("table");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const selects = Array.from(root.querySelectorAll("select[data-filter]"));
  const count = root.querySelector(".bricsai-ledger-count");

  function filter() {
    let shown = 0;
    rows.forEach((row) => {
      const keep = selects.every((s) => !s.value || row.dataset[s.dataset.filter] === s.value);
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    count.textContent = `${shown} of ${rows.length} entries`;
  }

  function sortBy(button) {
    const col = Number(button.dataset.sortCol);
    const th = button.closest("th");
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th[aria-sort]").forEach((h) => h.setAttribute("aria-sort", "none"));
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const key = (row) => {
      const cell = row.cells[col];
      return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    };
    // Stable: ties keep the article's order (the first column's key).
    const sorted = rows.slice().sort((a, b) => {
      const c = key(a).localeCompare(key(b), undefined, { numeric: true });
      const tie = a.cells[0].dataset.sort.localeCompare(b.cells[0].dataset.sort);
      return (ascending ? c : -c) || tie;
    });
    sorted.forEach((row) => body.appendChild(row));
  }

  selects.forEach((s) => s.addEventListener("change", filter));
  root.querySelectorAll("button[data-sort-col]").forEach((b) => b.addEventListener("click", () => sortBy(b)));
  root.querySelector(".bricsai-ledger-filters").hidden = false;
  filter();
}
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-bricsai-ledger]").forEach(bricsaiLedger);
});
