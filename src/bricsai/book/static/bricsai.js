// Accessibility mends for markup the themes produce and the book cannot template itself.
function bricsaiMendLabels() {
  // A button's accessible name must contain its visible text (WCAG 2.5.3, "label in name").
  document.querySelectorAll("button[aria-label]").forEach((button) => {
    const label = button.getAttribute("aria-label");
    // Icon buttons (the colour-mode switch) show one titled icon at a time: name them all.
    const titles = Array.from(button.querySelectorAll("[data-mode]"))
      .map((icon) => icon.getAttribute("title") || (icon.querySelector("title") || {}).textContent)
      .filter(Boolean);
    const visible = titles.length ? titles.join(", ") : button.innerText.replace(/\s+/g, " ").trim();
    if (visible && !label.toLowerCase().includes(visible.toLowerCase())) {
      button.setAttribute("aria-label", `${label}: ${visible}`);
    }
  });
  // Section toggles in the navigation are icons only: give them a name.
  document.querySelectorAll("summary").forEach((summary) => {
    if (!summary.innerText.trim() && !summary.getAttribute("aria-label")) {
      summary.setAttribute("aria-label", "Show or hide the sections of this chapter");
    }
  });
  // The bibliography is a list of citations in <div>s, not of list items.
  document.querySelectorAll('.citation-list[role="list"]').forEach((el) => el.removeAttribute("role"));
}
document.addEventListener("DOMContentLoaded", bricsaiMendLabels);
window.addEventListener("load", bricsaiMendLabels);
// Stacked tables (bricsai-stack): each cell carries its column's name for the phone layout.
function bricsaiLabelStackedCells() {
  document.querySelectorAll("table.bricsai-stack").forEach((table) => {
    const names = Array.from(table.querySelectorAll("thead th")).map((th) => th.innerText.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell, i) => {
        if (names[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[i]);
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", bricsaiLabelStackedCells);
// Chart or table: opening a figure's data table hides the chart it replaces, and back.
function bricsaiFigureToggles() {
  document.querySelectorAll(".bricsai-figdata").forEach((box) => {
    const details = box.querySelector("details.bricsai-figtable");
    const figure = document.getElementById(box.dataset.figure);
    if (!details || !figure || details.dataset.bound) return;
    details.dataset.bound = "1";
    const summary = details.querySelector("summary");
    details.addEventListener("toggle", () => {
      figure.querySelectorAll("img").forEach((img) => {
        (img.closest("a.image-reference") || img).hidden = details.open;
      });
      summary.textContent = details.open ? "Show the chart" : "Show the data as a table";
    });
  });
}
document.addEventListener("DOMContentLoaded", bricsaiFigureToggles);
// Inserted values are bold so that computed numbers stand out; a long inserted phrase (a list of
// gaps, a caveat) reads better in the body weight.
function bricsaiUnboldLongInserts() {
  document.querySelectorAll("main .pasted-text, main span.bricsai-m").forEach((span) => {
    if (span.textContent.trim().length > 24) span.classList.add("bricsai-long-insert");
  });
}
document.addEventListener("DOMContentLoaded", bricsaiUnboldLongInserts);
